import type { Alert } from '../alert.js';
import { formatTerminal } from '../format-terminal.js';
import type { AlertChannel } from './channel-error.js';

export interface TerminalChannelOptions {
  /** Where lines go; standard output by default. */
  write?: (text: string) => void;
  /** ANSI colours; by default when standard output is a terminal. */
  color?: boolean;
  now?: () => Date;
}

/**
 * Prints alerts as readable lines (`ALERTS_TO_TERMINAL=true`; the demo turns it on). For running the
 * service by hand: in production the log (JSON) and the real channels are the record. A write to
 * standard output cannot fail in a way a retry would fix, so it never throws a ChannelError.
 */
export class TerminalChannel implements AlertChannel {
  private readonly write: (text: string) => void;
  private readonly color: boolean;
  private readonly now: () => Date;

  constructor(opts: TerminalChannelOptions = {}) {
    this.write = opts.write ?? ((text) => process.stdout.write(text));
    this.color = opts.color ?? Boolean(process.stdout.isTTY);
    this.now = opts.now ?? (() => new Date());
  }

  async send(alert: Alert): Promise<void> {
    this.write(`${formatTerminal(alert, this.now(), this.color)}\n`);
  }
}
