/**
 * Email for what cannot wait (immediate concerns, their escalation, overdue actions, follow-ups), through
 * nodemailer's SMTP transport. Off unless FIELDNOTES_SMTP_URL is set. The in-app notice is the record:
 * mail is sent after it is stored, never awaited by the command that caused it, and a failure (mail off,
 * the mail server down or refusing) is retried a few times and then logged — without addresses, names or
 * content, only the transport's error code — and nothing else happens.
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailConfig {
  /** e.g. smtp://user:pass@mail.council.example:587 or smtps://…:465; nodemailer's URL options apply. */
  smtpUrl: string;
  /** The From address, e.g. "Fieldnotes <fieldnotes@council.example>". */
  from: string;
  /** The app's public address, for the link in each message (e.g. https://fieldnotes.council.example). */
  publicUrl: string;
}

export interface MailMessage {
  subject: string;
  /** Plain text: names no child beyond the child ID, and carries no record's free text. */
  text: string;
  /** Where in the app to go (e.g. /actions): the message ends with a link to it. */
  path: string;
}

/** Tries per message, and the wait before each retry (doubling). */
const ATTEMPTS = 3;
const FIRST_RETRY_MS = 2_000;

export class Mailer {
  private readonly transport: Transporter;
  private readonly waits = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private closed = false;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly config: MailConfig,
    private readonly retryMs = FIRST_RETRY_MS,
  ) {
    // Short timeouts: a mail server that hangs must not hold messages (or the process) for minutes.
    this.transport = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  }

  /** A link into the app: `path` starts with '/'. */
  link(path: string): string {
    return `${this.config.publicUrl.replace(/\/+$/, '')}${path}`;
  }

  /** Sends one message to each address (so nobody sees the others'), in the background. Never throws. */
  send(addresses: string[], message: MailMessage): void {
    for (const to of addresses) {
      const delivery = this.deliver(to, message).finally(() => this.sending.delete(delivery));
      this.sending.add(delivery);
    }
  }

  /** Resolves when every message sent so far has been delivered or given up on (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  private async deliver(to: string, message: MailMessage): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS && !this.closed; attempt++) {
      try {
        const text = `${message.text}\n\nOpen it in Fieldnotes: ${this.link(message.path)}\n\nThis email does not contain what was written: sign in to Fieldnotes to read it.\n`;
        await this.transport.sendMail({ from: this.config.from, to, subject: message.subject, text });
        return;
      } catch (thrown) {
        // The code only: the error's message can quote the address or the mail server's reply.
        const error = thrown as { code?: string; responseCode?: number };
        const why = [error.code, error.responseCode].filter(Boolean).join(' ') || 'unknown error';
        if (attempt === ATTEMPTS || this.closed) {
          console.warn(`An email could not be sent (${why}) after ${attempt} attempt${attempt === 1 ? '' : 's'}; the notice is in the app.`);
          return;
        }
        console.warn(`An email could not be sent (${why}); trying again (attempt ${attempt + 1} of ${ATTEMPTS}).`);
        await this.wait(this.retryMs * 2 ** (attempt - 1));
      }
    }
  }

  /** A pause between tries that closing the mailer cuts short. */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.waits.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      entry.timer.unref();
      this.waits.add(entry);
    });
  }

  close(): void {
    this.closed = true;
    for (const entry of this.waits) {
      clearTimeout(entry.timer);
      entry.wake();
    }
    this.waits.clear();
    this.transport.close();
  }
}

/** The mail settings from the environment, or null when mail is off (the default). */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv, serverUrl: string): MailConfig | null {
  const smtpUrl = env.FIELDNOTES_SMTP_URL?.trim();
  if (!smtpUrl) return null;
  if (!/^smtps?:\/\//.test(smtpUrl)) throw new Error('FIELDNOTES_SMTP_URL must start with smtp:// or smtps://.');
  const publicUrl = env.FIELDNOTES_PUBLIC_URL?.trim() || serverUrl;
  if (!/^https?:\/\//.test(publicUrl)) throw new Error('FIELDNOTES_PUBLIC_URL must start with http:// or https://.');
  return { smtpUrl, from: env.FIELDNOTES_MAIL_FROM?.trim() || 'Fieldnotes <fieldnotes@localhost>', publicUrl };
}
