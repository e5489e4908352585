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
 */
export function classifySmtpError(err: unknown): ChannelError {
  const e = (err ?? {}) as NodemailerError;
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = `email: ${String(e.message ?? err).slice(0, 300)}`;
  const opts = { cause: err, ...(reply !== undefined ? { status: reply } : {}) };
  if (reply !== undefined && reply >= 400) {
    const permanent = reply >= 500 && e.permanent !== false;
    return new ChannelError('email', permanent ? 'rejected' : 'unavailable', text, opts);
  }
  if (e.code && PERMANENT_CODES.has(e.code)) return new ChannelError('email', 'rejected', text, opts);
  return new ChannelError('email', 'unavailable', text, opts);
}

/** A Message-ID from the alert id: a resend after an unclear failure is the same message to mail clients. */
export function alertMessageId(alertId: string): string {
  const local = alertId
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.|\.$/g, '');
  return `<${local || 'alert'}@dispute-autopilot>`;
}

/** Sends alerts by SMTP, one connection per message (alerts are few). */
export class EmailChannel implements AlertChannel {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;
  private readonly to: string[];

  constructor(private readonly opts: EmailChannelOptions) {
    const timeout = opts.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
    this.transport = nodemailer.createTransport({
      url: opts.smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    this.to = (typeof opts.to === 'string' ? opts.to.split(',') : [...opts.to])
      .map((s) => s.trim())
      .filter(Boolean);
  }

  async send(alert: Alert): Promise<void> {
    const { subject, text, html } = formatEmail(alert);
    try {
      await this.transport.sendMail({
        from: this.opts.from,
        to: this.to,
        subject,
        text,
        html,
        messageId: alertMessageId(alert.id),
        headers: { 'X-Dispute-Autopilot-Alert': alert.id },
      });
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  close(): void {
    this.transport.close();
  }
}
