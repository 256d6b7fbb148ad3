import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Db } from '../db/open-database';
import { createMailOutboxRepository, type OutboxRow } from './mail-outbox-repository';

// Sends what the outbox holds. Mail is written to the outbox in the same transaction as the
// change that causes it; this loop sends it afterwards and retries failures with backoff, so a
// slow or broken mail server never loses a mail nor holds up a reader's request.

const CLAIM_SECONDS = 120;
const MAX_ATTEMPTS = 8;
/** 30 s, 1 min, 2 min, … capped at one hour. */
export const retryDelaySeconds = (attempts: number): number => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

export type MailSenderOptions = {
  db: Db;
  logger: Logger;
  smtpUrl: string | undefined;
  from: string;
  now?: () => Date;
  /** How often to look for due mail, besides being woken after each sign-up. */
  pollMs?: number;
};

export class MailSender {
  private readonly outbox;
  private readonly transport: Transporter | null;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly options: MailSenderOptions) {
    this.outbox = createMailOutboxRepository(options.db);
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 5000);
    this.timer.unref();
    this.wake();
  }

  /** Stops polling and waits for a send in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.transport?.close();
  }

  /** Sends what is due now (called after a sign-up commits); overlapping calls share one run. */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.wake();
      }
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const now = this.now();
      let mail: OutboxRow | undefined;
      try {
        mail = this.outbox.claimNext(now.toISOString(), new Date(now.getTime() + CLAIM_SECONDS * 1000).toISOString());
      } catch (error) {
        this.options.logger.error({ err: error }, 'could not read the mail outbox');
        return;
      }
      if (!mail) return;
      await this.deliver(mail);
    }
  }

  private async deliver(mail: OutboxRow): Promise<void> {
    const { logger } = this.options;
    if (!this.transport) {
      // Never the address, the links or the body: they are a reader's, and logs outlive erasure.
      logger.info({ mailId: mail.id, kind: mail.kind }, 'mail kept in the outbox (no SMTP_URL); npm run outbox shows it');
      this.outbox.markLogged(mail.id, this.now().toISOString());
      return;
    }
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        // A plain-text-only mail (the newsroom's invitations) has no HTML part at all.
        html: mail.html_body || undefined,
        headers: JSON.parse(mail.headers_json) as Record<string, string>,
      });
      this.outbox.markSent(mail.id, this.now().toISOString());
      logger.info({ mailId: mail.id, kind: mail.kind }, 'mail sent');
    } catch (error) {
      const attempts = mail.attempts + 1;
      const next = new Date(this.now().getTime() + retryDelaySeconds(attempts) * 1000).toISOString();
      const reason = redactAddresses((error as Error).message);
      this.outbox.markRetry(mail.id, next, reason, attempts >= MAX_ATTEMPTS);
      // An SMTP reply often names the recipient ("550 <ann@example.org> unknown"): logged without it.
      logger.warn({ mailId: mail.id, attempts, reason }, attempts >= MAX_ATTEMPTS ? 'mail failed for good' : 'mail failed; will retry');
    }
  }
}

/** Replaces every email address in a text (an SMTP error, say) with a placeholder. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>"'@,;]+@[^\s<>"'@,;]+/g, '[address]');
}
