import type { Db } from '../db/open-database';

export type OutboxMail = {
  subscription_id: number | null;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  headers: Record<string, string>;
};

export type OutboxRow = Omit<OutboxMail, 'headers'> & {
  id: number;
  headers_json: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
};

export function createMailOutboxRepository(db: Db) {
  const insert = db.prepare<Omit<OutboxMail, 'headers'> & { headers_json: string; now: string }>(
    `INSERT INTO mail_outbox (subscription_id, kind, to_address, subject, text_body, html_body, headers_json, next_attempt_at, created_at)
     VALUES (@subscription_id, @kind, @to_address, @subject, @text_body, @html_body, @headers_json, @now, @now)`,
  );
  // Claiming marks a mail as being sent until a deadline; a process that dies mid-send leaves a
  // claim that expires, and the mail is picked up again.
  const claim = db.prepare<{ now: string; until: string }, OutboxRow>(
    `UPDATE mail_outbox SET status = 'sending', claimed_until = @until
     WHERE id = (
       SELECT id FROM mail_outbox
       WHERE (status = 'pending' AND next_attempt_at <= @now) OR (status = 'sending' AND claimed_until < @now)
       ORDER BY next_attempt_at, id LIMIT 1
     )
     RETURNING *`,
  );
  const markDone = db.prepare<{ id: number; status: 'sent' | 'logged'; now: string }>(
    `UPDATE mail_outbox SET status = @status, sent_at = @now, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = @id`,
  );
  const newest = db.prepare<[number], OutboxRow>('SELECT * FROM mail_outbox ORDER BY id DESC LIMIT ?');
  const markRetry = db.prepare<{ id: number; next: string; error: string; failed: number }>(
    `UPDATE mail_outbox SET status = CASE WHEN @failed = 1 THEN 'failed' ELSE 'pending' END, attempts = attempts + 1,
       next_attempt_at = @next, claimed_until = NULL, last_error = @error WHERE id = @id`,
  );
  return {
    enqueue: (mail: OutboxMail, now: string): number =>
      Number(insert.run({ ...mail, headers_json: JSON.stringify(mail.headers), now }).lastInsertRowid),
    /** The newest mails, for `npm run outbox`. */
    listNewest: (count: number): OutboxRow[] => newest.all(count),
    claimNext: (now: string, until: string): OutboxRow | undefined => claim.get({ now, until }),
    markSent: (id: number, now: string) => void markDone.run({ id, status: 'sent', now }),
    markLogged: (id: number, now: string) => void markDone.run({ id, status: 'logged', now }),
    /** Schedules another attempt, or gives up for good when `failed`. */
    markRetry: (id: number, next: string, error: string, failed: boolean) =>
      void markRetry.run({ id, next, error: error.slice(0, 500), failed: failed ? 1 : 0 }),
  };
}

export type MailOutboxRepository = ReturnType<typeof createMailOutboxRepository>;
