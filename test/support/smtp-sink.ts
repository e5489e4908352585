import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One message as the sink received and decoded it. */
export interface ReceivedMail {
  /** SMTP envelope (MAIL FROM / RCPT TO). */
  envelopeFrom: string;
  envelopeTo: string[];
  /** Decoded header values. */
  from: string;
  to: string;
  subject: string;
  messageId: string | undefined;
  /** The text/plain and text/html parts, decoded to strings; undefined when absent. */
  text: string | undefined;
  html: string | undefined;
  /** Content types of every leaf part, in order (e.g. `text/plain`, `text/html`). */
  partTypes: string[];
  /** Top-level headers, lower-cased names, unfolded, encoded words decoded. */
  headers: Record<string, string>;
  raw: string;
  /** The AUTH user, when the client authenticated. */
  user: string | undefined;
  at: number;
}

export interface RejectOptions {
  /** SMTP reply code: 4xx (transient) or 5xx (permanent). */
  code: number;
  message?: string;
  /** Refuse at MAIL FROM, or after the whole message was sent (end of DATA, the default). */
  stage?: 'mail' | 'data';
}

type SmtpReplyError = Error & { responseCode: number };

function replyError(opts: RejectOptions): SmtpReplyError {
  const err = new Error(
    opts.message ?? (opts.code >= 500 ? 'Message rejected' : 'Try again later'),
  ) as SmtpReplyError;
  err.responseCode = opts.code;
  return err;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 with an OS-picked port: no TLS, AUTH accepted whatever
 * the credentials (and optional). Records and decodes each message; can refuse the next N messages
 * with a given 4xx or 5xx reply.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private readonly rejections: RejectOptions[] = [];
  private silences = 0;
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private readonly server: SMTPServer;
  private listeningPort = 0;

  private constructor() {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
      onMailFrom: (_address, _session, callback) => {
        const next = this.rejections[0];
        if (next && (next.stage ?? 'data') === 'mail') {
          this.rejections.shift();
          return callback(replyError(next));
        }
        callback();
      },
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
    this.server.on('error', () => {});
  }

  /** On `port` (a mail server coming back where it was), or an OS-picked one. */
  static async start(port = 0): Promise<SmtpSink> {
    const sink = new SmtpSink();
    await new Promise<void>((resolve, reject) => {
      const net = sink.server.listen(port, '127.0.0.1', () => resolve());
      net.once('error', reject);
    });
    sink.listeningPort = (sink.server.server.address() as { port: number }).port;
    return sink;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** `smtp://user:pass@127.0.0.1:<port>`, or without credentials when `auth` is false. */
  url(auth: { user: string; pass: string } | false = { user: 'alerts', pass: 's3cret' }): string {
    const cred = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
    return `smtp://${cred}127.0.0.1:${this.port}`;
  }

  /** Refuse the next `n` messages with this reply. */
  rejectNext(n: number, opts: RejectOptions): this {
    for (let i = 0; i < n; i++) this.rejections.push(opts);
    return this;
  }

  /**
   * The next `n` messages are received in full (and recorded: the server has them) but never answered,
   * as a server that stalls after the end of DATA: the client cannot know whether they went through.
   */
  silenceNext(n: number): this {
    this.silences += n;
    return this;
  }

  waitForMessages(count = 1, timeoutMs = 5000): Promise<ReceivedMail[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages.slice());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} messages, got ${this.messages.length}`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.messages.slice());
        },
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onData(stream: Readable, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const next = this.rejections[0];
      if (next && (next.stage ?? 'data') === 'data') {
        this.rejections.shift();
        return callback(replyError(next));
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      this.messages.push(decodeMail(raw, session));
      for (const w of this.waiters.filter((w) => this.messages.length >= w.count)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
      if (this.silences > 0) {
        this.silences--;
        return;
      }
      callback();
    });
  }
}

export function startSmtpSink(opts: { port?: number } = {}): Promise<SmtpSink> {
  return SmtpSink.start(opts.port);
}

// ---------------------------------------------------------------------------------------------------
// A small MIME reader: enough for what nodemailer writes (multipart/*, quoted-printable, base64, 7bit,
// 8bit, RFC 2047 encoded words). mailparser is not a dependency of this project.
// ---------------------------------------------------------------------------------------------------

interface Entity {
  headers: Record<string, string>;
  body: string;
}

function decodeMail(raw: string, session: SMTPServerSession): ReceivedMail {
  const top = splitEntity(raw);
  const leaves: { type: string; text: string }[] = [];
  collectLeaves(top, leaves);
  const h = top.headers;
  const mailFrom = session.envelope.mailFrom;
  return {
    envelopeFrom: mailFrom ? mailFrom.address : '',
    envelopeTo: session.envelope.rcptTo.map((r) => r.address),
    from: h.from ?? '',
    to: h.to ?? '',
    subject: h.subject ?? '',
    messageId: h['message-id'],
    text: leaves.find((l) => l.type === 'text/plain')?.text,
    html: leaves.find((l) => l.type === 'text/html')?.text,
    partTypes: leaves.map((l) => l.type),
    headers: h,
    raw,
    user: typeof session.user === 'string' ? session.user : undefined,
    at: Date.now(),
  };
}

function splitEntity(raw: string): Entity {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // The first occurrence wins (Received and the like repeat; we only read unique headers).
    headers[name] ??= decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** `multipart/alternative; boundary="abc"` → { type, params }. */
function contentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0)
      params[p.slice(0, eq).trim().toLowerCase()] = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
  }
  return { type: type.trim().toLowerCase(), params };
}

function collectLeaves(entity: Entity, out: { type: string; text: string }[]): void {
  const { type, params } = contentType(entity.headers['content-type']);
  if (type.startsWith('multipart/') && params.boundary) {
    const delimiter = `--${params.boundary}`;
    const segments = entity.body.split(delimiter);
    // segments[0] is the preamble; a segment starting with "--" is the closing delimiter's epilogue.
    for (const segment of segments.slice(1)) {
      if (segment.startsWith('--')) break;
      collectLeaves(splitEntity(segment.replace(/^\r?\n/, '').replace(/\r?\n$/, '')), out);
    }
    return;
  }
  const encoding = (entity.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  out.push({ type, text: decodeBody(entity.body, encoding, params.charset ?? 'utf-8') });
}

function decodeBody(body: string, encoding: string, charset: string): string {
  if (encoding === 'base64') return decodeBytes(Buffer.from(body.replace(/\s+/g, ''), 'base64'), charset);
  if (encoding === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    return decodeBytes(hexEscapesToBytes(soft), charset);
  }
  return body;
}

/** Text whose `=XX` escapes stand for bytes (everything else is ASCII) → the bytes. */
function hexEscapesToBytes(text: string): Buffer {
  return Buffer.from(
    text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    'latin1',
  );
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** RFC 2047: `=?UTF-8?Q?Caf=C3=A9?= =?UTF-8?B?4oCU?=` → `Café—` (whitespace between words dropped). */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, data: string) => {
      const bytes =
        enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : hexEscapesToBytes(data.replace(/_/g, ' '));
      return decodeBytes(bytes, charset);
    });
}
