import nodemailer, { type NodemailerError } from 'nodemailer';
import type { Alert } from '../alert.js';
import { formatEmail } from '../format-email.js';
import { type AlertChannel, ChannelError } from './channel-error.js';

/** Connecting, the greeting and each reply: SMTP servers greylisting or under load can be slow. */
export const DEFAULT_SMTP_TIMEOUT_MS = 20_000;

export interface EmailChannelOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; credentials URL-encoded. */
  smtpUrl: string;
  from: string;
  /** One address, several comma-separated, or a list. */
  to: string | readonly string[];
  timeoutMs?: number;
}

/** Failures that carry no SMTP reply but will not go away by retrying: credentials, addresses, config. */
const PERMANENT_CODES = new Set([
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'ECONFIG',
  'EENVELOPE',
  'EMESSAGE',
  'EREQUIRETLS',
  'EMAXRECIPIENTS',
]);

/**
 * An SMTP failure as a ChannelError. With a reply code, RFC 5321 decides: 4yz is transient
 * (unavailable), 5yz permanent (rejected) — except where nodemailer marks a 5yz as not permanent (503,
 * "bad sequence": the session's state, not the message). Without one: bad credentials, addresses or
 * configuration are rejected; connection failures and timeouts are unavailable.
 *
 * `dataAccepted`: the server had answered DATA with 354, so the message was on its way. A failure
 * after that without a reply (a timeout waiting for the final 250, a dropped connection) may have
 * delivered it (`maybeDelivered`); a reply is an answer: the server refused it.
 */
export function classifySmtpError(err: unknown, opts: { dataAccepted?: boolean } = {}): ChannelError {
  const e = (err ?? {}) as NodemailerError;
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = `email: ${String(e.message ?? err).slice(0, 300)}`;
  const base = { cause: err, ...(reply !== undefined ? { status: reply } : {}) };
  if (reply !== undefined && reply >= 400) {
    const permanent = reply >= 500 && e.permanent !== false;
    return new ChannelError('email', permanent ? 'rejected' : 'unavailable', text, base);
  }
  if (e.code && PERMANENT_CODES.has(e.code)) return new ChannelError('email', 'rejected', text, base);
  return new ChannelError('email', 'unavailable', text, {
    ...base,
    maybeDelivered: opts.dataAccepted === true,
  });
}

/**
 * A nodemailer logger that only watches for the server's 354 (go ahead with the message) in the
 * transaction log: from then on a failure without an answer leaves the outcome unknown. It logs nothing.
 */
function dataAcceptedProbe() {
  const probe = { dataAccepted: false };
  const ignore = () => {};
  const logger = {
    trace: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    fatal: ignore,
    debug: (entry: { tnx?: string } | undefined, message: unknown) => {
      if (entry?.tnx === 'server' && typeof message === 'string' && message.startsWith('354')) {
        probe.dataAccepted = true;
      }
    },
  };
  return { probe, logger };
}

/** A Message-ID from the alert id: a resend after an unclear failure is the same message to mail clients. */
export function alertMessageId(alertId: string): string {
  const local = alertId
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.|\.$/g, '');
  return `<${local || 'alert'}@dispute-autopilot>`;
}

/**
 * Sends alerts by SMTP, one connection (and one transport) per message: alerts are few, and a transport
 * of its own lets each send tell whether the server had taken DATA when it failed.
 */
export class EmailChannel implements AlertChannel {
  private readonly to: string[];
  private readonly timeoutMs: number;

  constructor(private readonly opts: EmailChannelOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
    // Parsed now: a malformed SMTP_URL stops the process at start, not at the first alert.
    nodemailer.createTransport({ url: opts.smtpUrl }).close();
    this.to = (typeof opts.to === 'string' ? opts.to.split(',') : [...opts.to])
      .map((s) => s.trim())
      .filter(Boolean);
  }

  async send(alert: Alert): Promise<void> {
    const { subject, text, html } = formatEmail(alert);
    const { probe, logger } = dataAcceptedProbe();
    const transport = nodemailer.createTransport({
      url: this.opts.smtpUrl,
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
      logger,
      // Server replies go to the logger (without the message's content): how the probe sees 354.
      transactionLog: true,
    });
    try {
      await transport.sendMail({
        from: this.opts.from,
        to: this.to,
        subject,
        text,
        html,
        messageId: alertMessageId(alert.id),
        headers: { 'X-Dispute-Autopilot-Alert': alert.id },
      });
    } catch (err) {
      throw classifySmtpError(err, probe);
    } finally {
      transport.close();
    }
  }

  /** Nothing to release: each send opens and closes its own connection. */
  close(): void {}
}
