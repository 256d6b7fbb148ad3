import net from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Db } from '../db/open-database';
import type { FormTokens } from '../http/form-tokens';
import { redactAddresses, retryDelaySeconds } from '../mail/mail-sender';
import { smtpOptionsFromUrl } from '../mail/smtp-url';
import { absoluteUrl } from '../site/site-urls';
import { REVIEW_CONSENT_VERSIONS } from '../subscriptions/consent-text';
import { createNewslettersRepository, type IssueRow, type LedgerRow } from './newsletters-repository';
import { personalize, renderReview, reviewPath, type ReviewSite } from './review-rendering';

// Sends the weekly review, one per database, in the primary process. Every recipient has a row in
// the ledger (newsletters-repository.ts); a row is claimed ("sending") just before its mail goes
// out and marked "sent" in the same turn of the event loop that hears the server's 250, so a
// process killed at any moment leaves only the mails then in flight unrecorded. On restart those
// go back to "pending" and are sent, and nothing recorded as sent is sent again.
//
// Each pooled SMTP connection carries at most one mail at a time, so at most NEWSLETTER_CONNECTIONS
// mails are ever in flight. The one case no SMTP client can settle is a kill in the instant after
// a server has accepted a mail and before its 250 is heard (RFC 1047): that mail is sent again,
// with the same Message-ID, which mailbox providers use to drop the copy.
//
// Each recipient is looked up just before their mail is made: someone who unsubscribed, or whose
// address bounced, since the send started gets nothing. A temporary failure is retried with
// backoff; a permanent refusal (5xx) marks the address bounced.

const BATCH = 200;
const MAX_ATTEMPTS = 6;
const PROGRESS_LOG_MS = 5_000;

export type NewsletterSenderOptions = {
  db: Db;
  logger: Logger;
  smtpUrl: string | undefined;
  from: string;
  site: ReviewSite;
  tokens: FormTokens;
  /** At most this many mails a second, over this many pooled connections. */
  rate: number;
  connections: number;
  now?: () => Date;
  pollMs?: number;
};

/**
 * The pool's TCP connections, with Nagle's algorithm off. nodemailer writes a mail's end (".") as
 * a small write of its own; with Nagle on, it waits for the server's delayed ACK, about 40 ms a
 * mail on every connection (measured: 27 mails/s over 4 connections on loopback). nodemailer
 * upgrades the socket to TLS itself for smtps:// and STARTTLS.
 */
function connectWithoutDelay(
  options: { host?: string; port?: number | string; secure?: boolean },
  callback: (error: Error | null, socket?: { connection: net.Socket }) => void,
): void {
  const socket = net.connect({
    host: options.host ?? 'localhost',
    port: Number(options.port) || (options.secure ? 465 : 587),
    noDelay: true,
  });
  const fail = (error: Error) => callback(error);
  socket.once('error', fail);
  socket.once('connect', () => {
    socket.removeListener('error', fail);
    callback(null, { connection: socket });
  });
}

/** An SMTP reply code a failure carries, if any (nodemailer's responseCode). */
const replyCode = (error: unknown): number | undefined => (error as { responseCode?: number }).responseCode;

export class NewsletterSender {
  private readonly newsletters;
  private readonly transport: Transporter | null;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private lastProgressLog = 0;

  constructor(private readonly options: NewsletterSenderOptions) {
    this.newsletters = createNewslettersRepository(options.db);
    this.now = options.now ?? (() => new Date());
    this.transport = options.smtpUrl
      ? nodemailer.createTransport({
          ...smtpOptionsFromUrl(options.smtpUrl),
          pool: true,
          maxConnections: options.connections,
          maxMessages: Infinity,
          rateDelta: 1000,
          rateLimit: options.rate,
          getSocket: connectWithoutDelay,
        } as nodemailer.TransportOptions)
      : null;
  }

  /** Whether reviews can go out at all (SMTP_URL is set). */
  get enabled(): boolean {
    return this.transport !== null;
  }

  start(): void {
    if (this.timer || !this.transport) return;
    const released = this.newsletters.releaseInFlight();
    if (released > 0) this.options.logger.warn({ mails: released }, 'review send resumed: mails that were in flight go out again');
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 1000);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.transport?.close();
  }

  /** Works on what is due now; overlapping calls share one run. */
  tick(): Promise<void> {
    this.running ??= this.work()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'review send pass failed; trying again'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async work(): Promise<void> {
    while (!this.stopping) {
      let issue = this.newsletters.due(this.now().toISOString());
      if (!issue) return;
      if (issue.status === 'scheduled') {
        this.begin(issue);
        issue = this.newsletters.findById(issue.id)!;
      }
      if (!(await this.send(issue))) return; // retries later, or stopping
    }
  }

  /** A scheduled issue whose time has come: rendered and its ledger written, in one transaction. */
  private begin(issue: IssueRow): void {
    const rendered = renderReview(this.options.site, issue, this.newsletters.stories(issue.id));
    const recipients = this.newsletters.startSending(issue.id, this.now().toISOString(), rendered, REVIEW_CONSENT_VERSIONS);
    this.options.logger.info({ issueId: issue.id, issueDate: issue.issue_date, recipients }, 'review send started');
  }

  /** Sends what is due of an issue; true when the issue is finished. */
  private async send(issue: IssueRow): Promise<boolean> {
    const { logger } = this.options;
    for (;;) {
      if (this.stopping) return false;
      const batch = this.newsletters.claim(issue.id, this.now().toISOString(), BATCH);
      if (batch.length === 0) {
        const now = this.now().toISOString();
        if (this.newsletters.finishIfDone(issue.id, now)) {
          logger.info({ issueId: issue.id, issueDate: issue.issue_date, ...this.newsletters.progress(issue.id) }, 'review sent');
          return true;
        }
        return false; // only retries are left, due later
      }
      await this.sendBatch(issue, batch);
      if (Date.now() - this.lastProgressLog >= PROGRESS_LOG_MS) {
        this.lastProgressLog = Date.now();
        logger.info({ issueId: issue.id, ...this.newsletters.progress(issue.id) }, 'review send progress');
      }
    }
  }

  /** One worker per connection, each with one mail in flight; rows not reached when stopping go back. */
  private async sendBatch(issue: IssueRow, batch: LedgerRow[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < batch.length && !this.stopping) await this.sendOne(issue, batch[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.connections, batch.length) }, worker));
    if (next < batch.length) this.newsletters.releaseInFlight();
  }

  private async sendOne(issue: IssueRow, row: LedgerRow): Promise<void> {
    const { logger, site } = this.options;
    const id = row.subscription_id;
    const recipient = this.newsletters.recipient(id);
    if (!recipient || recipient.status !== 'confirmed' || recipient.bounced_at !== null) {
      this.newsletters.markSkipped(issue.id, id);
      return;
    }
    const unsubscribeUrl = absoluteUrl(
      site.siteUrl,
      `/subscribe/unsubscribe?token=${this.options.tokens.unsubscribeToken(id, recipient.email)}`,
    );
    const body = personalize({ mail_html: issue.mail_html!, mail_text: issue.mail_text! }, unsubscribeUrl);
    const host = new URL(site.siteUrl).hostname;
    try {
      await this.transport!.sendMail({
        from: this.options.from,
        to: recipient.email,
        subject: issue.subject,
        text: body.text,
        html: body.html,
        // The same for every attempt: a copy sent again after a crash is recognised as one mail.
        messageId: `<review-${issue.issue_date}-${id}@${host}>`,
        headers: {
          'List-Unsubscribe': `<${unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'List-Id': `${site.siteName} weekly review <review.${host}>`,
          'X-Auto-Response-Suppress': 'OOF, AutoReply',
          Precedence: 'bulk',
          'Content-Base': absoluteUrl(site.siteUrl, reviewPath(issue.issue_date)),
        },
      });
      this.newsletters.markSent(issue.id, id, this.now().toISOString());
    } catch (error) {
      const code = replyCode(error);
      const reason = redactAddresses((error as Error).message);
      if (code !== undefined && code >= 500 && code < 600) {
        // Refused for good: the address is marked bounced and gets no more reviews.
        this.options.db.transaction(() => {
          this.newsletters.markFailed(issue.id, id, reason);
          this.newsletters.markBounced(id, this.now().toISOString());
        })();
        logger.warn({ issueId: issue.id, subscriptionId: id, code, reason }, 'review refused for good; address marked bounced');
        return;
      }
      const attempts = row.attempts + 1;
      if (attempts >= MAX_ATTEMPTS) {
        this.newsletters.markFailed(issue.id, id, reason);
        logger.warn({ issueId: issue.id, subscriptionId: id, attempts, reason }, 'review failed for good after retries');
        return;
      }
      const retryAt = new Date(this.now().getTime() + retryDelaySeconds(attempts) * 1000).toISOString();
      this.newsletters.markRetry(issue.id, id, retryAt, reason);
      logger.info({ issueId: issue.id, subscriptionId: id, attempts, code, reason }, 'review failed for now; will retry');
    }
  }
}
