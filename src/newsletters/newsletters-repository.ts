import type { Db } from '../db/open-database';

// The weekly review's issues, their stories, and the per-recipient send ledger (migration 0031).

export type IssueStatus = 'draft' | 'scheduled' | 'sending' | 'sent';

export type IssueRow = {
  id: number;
  issue_date: string;
  subject: string;
  introduction: string;
  status: IssueStatus;
  send_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  recipients: number | null;
  mail_html: string | null;
  mail_text: string | null;
  web_html: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
};

/** A story of an issue, with what the review shows of it. */
export type IssueStoryRow = {
  article_id: number;
  position: number;
  left_out: number;
  headline: string;
  deck: string;
  slug: string;
  published_at: string;
  section_id: number;
  section_path: string;
  section_name: string;
  hero_photo_id: number | null;
};

export type LedgerRow = { subscription_id: number; attempts: number };
export type Recipient = { id: number; email: string; status: string; bounced_at: string | null };
export type SendProgress = { pending: number; sending: number; sent: number; failed: number; skipped: number };

const STORY_COLUMNS = `a.headline, a.deck, a.slug, a.published_at, a.section_id, s.path AS section_path, s.name AS section_name, a.hero_photo_id`;

export function createNewslettersRepository(db: Db) {
  const insertIssue = db.prepare<{ issue_date: string; subject: string; introduction: string; created_by: string; now: string }>(
    `INSERT INTO newsletter_issues (issue_date, subject, introduction, created_by, created_at, updated_at)
     VALUES (@issue_date, @subject, @introduction, @created_by, @now, @now)`,
  );
  const byId = db.prepare<[number], IssueRow>('SELECT * FROM newsletter_issues WHERE id = ?');
  const byDate = db.prepare<[string], IssueRow>('SELECT * FROM newsletter_issues WHERE issue_date = ?');
  const list = db.prepare<[number], Omit<IssueRow, 'mail_html' | 'mail_text' | 'web_html'>>(
    `SELECT id, issue_date, subject, introduction, status, send_at, started_at, finished_at, recipients, created_by, created_at, updated_at
     FROM newsletter_issues ORDER BY issue_date DESC LIMIT ?`,
  );
  const updateDraft = db.prepare<{ id: number; subject: string; introduction: string; now: string }>(
    `UPDATE newsletter_issues SET subject = @subject, introduction = @introduction, updated_at = @now
     WHERE id = @id AND status IN ('draft', 'scheduled')`,
  );
  const schedule = db.prepare<{ id: number; sendAt: string | null; now: string }>(
    `UPDATE newsletter_issues SET status = CASE WHEN @sendAt IS NULL THEN 'draft' ELSE 'scheduled' END, send_at = @sendAt, updated_at = @now
     WHERE id = @id AND status IN ('draft', 'scheduled')`,
  );
  const stories = db.prepare<[number], IssueStoryRow>(
    `SELECT n.article_id, n.position, n.left_out, ${STORY_COLUMNS}
     FROM newsletter_stories n JOIN articles a ON a.id = n.article_id JOIN sections s ON s.id = a.section_id
     WHERE n.issue_id = ? ORDER BY n.position, n.article_id`,
  );
  const clearStories = db.prepare<[number]>('DELETE FROM newsletter_stories WHERE issue_id = ?');
  const addStory = db.prepare<{ issue_id: number; article_id: number; position: number; left_out: number }>(
    'INSERT INTO newsletter_stories (issue_id, article_id, position, left_out) VALUES (@issue_id, @article_id, @position, @left_out)',
  );
  const weekStories = db.prepare<{ from: string; until: string }, Omit<IssueStoryRow, 'position' | 'left_out'> & { id: number }>(
    `SELECT a.id, a.id AS article_id, ${STORY_COLUMNS}
     FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE a.status = 'published' AND a.published_at > @from AND a.published_at <= @until
     ORDER BY a.published_at DESC, a.id DESC LIMIT 500`,
  );
  // Everyone the review may go to now: confirmed, not bounced, and whose latest consent is to a
  // text that covers the review.
  const buildLedger = db.prepare<{ issue: number; versions: string }>(
    `INSERT INTO newsletter_sends (issue_id, subscription_id)
     SELECT @issue, s.id FROM subscriptions s
     WHERE s.status = 'confirmed' AND s.bounced_at IS NULL
       AND (SELECT c.text_version FROM consents c WHERE c.subscription_id = s.id ORDER BY c.id DESC LIMIT 1)
           IN (SELECT value FROM json_each(@versions))`,
  );
  const startSending = db.prepare<{ id: number; now: string; mail_html: string; mail_text: string; web_html: string; recipients: number }>(
    `UPDATE newsletter_issues SET status = 'sending', started_at = @now, send_at = coalesce(send_at, @now), updated_at = @now,
       mail_html = @mail_html, mail_text = @mail_text, web_html = @web_html, recipients = @recipients
     WHERE id = @id AND status IN ('draft', 'scheduled')`,
  );
  const purgeNotFound = db.prepare("INSERT INTO cache_purges (key) VALUES ('not-found')");
  const due = db.prepare<{ now: string }, IssueRow>(
    `SELECT * FROM newsletter_issues WHERE status = 'sending' OR (status = 'scheduled' AND send_at <= @now)
     ORDER BY status = 'sending' DESC, send_at, id LIMIT 1`,
  );
  // Rows a killed process left in flight go back to the queue (there is one sender per database).
  const releaseInFlight = db.prepare("UPDATE newsletter_sends SET status = 'pending' WHERE status = 'sending'");
  // In the order of the index newsletter_sends_due: no sort of the rows left, however many.
  const claim = db.prepare<{ issue: number; now: string; limit: number }, LedgerRow>(
    `UPDATE newsletter_sends SET status = 'sending'
     WHERE issue_id = @issue AND subscription_id IN (
       SELECT subscription_id FROM newsletter_sends
       WHERE issue_id = @issue AND status = 'pending' AND next_attempt_at <= @now
       ORDER BY next_attempt_at LIMIT @limit)
     RETURNING subscription_id, attempts`,
  );
  const nextRetry = db
    .prepare<[number], string>("SELECT min(next_attempt_at) FROM newsletter_sends WHERE issue_id = ? AND status IN ('pending', 'sending')")
    .pluck();
  const recipient = db.prepare<[number], Recipient>('SELECT id, email, status, bounced_at FROM subscriptions WHERE id = ?');
  const markSent = db.prepare<{ issue: number; id: number; now: string }>(
    `UPDATE newsletter_sends SET status = 'sent', sent_at = @now, attempts = attempts + 1, last_error = NULL
     WHERE issue_id = @issue AND subscription_id = @id`,
  );
  const markRetry = db.prepare<{ issue: number; id: number; next: string; error: string }>(
    `UPDATE newsletter_sends SET status = 'pending', attempts = attempts + 1, next_attempt_at = @next, last_error = @error
     WHERE issue_id = @issue AND subscription_id = @id`,
  );
  const markFinal = db.prepare<{ issue: number; id: number; status: 'failed' | 'skipped'; error: string | null }>(
    `UPDATE newsletter_sends SET status = @status, last_error = @error, attempts = attempts + (@status = 'failed')
     WHERE issue_id = @issue AND subscription_id = @id`,
  );
  const markBounced = db.prepare<{ id: number; now: string }>(
    'UPDATE subscriptions SET bounced_at = @now, updated_at = @now WHERE id = @id AND bounced_at IS NULL',
  );
  const progress = db.prepare<[number], { status: keyof SendProgress; n: number }>(
    'SELECT status, count(*) AS n FROM newsletter_sends WHERE issue_id = ? GROUP BY status',
  );
  const finish = db.prepare<{ id: number; now: string }>(
    `UPDATE newsletter_issues SET status = 'sent', finished_at = @now, updated_at = @now
     WHERE id = @id AND status = 'sending'
       AND NOT EXISTS (SELECT 1 FROM newsletter_sends WHERE issue_id = @id AND status IN ('pending', 'sending'))`,
  );
  const removeDraft = db.prepare<[number]>("DELETE FROM newsletter_issues WHERE id = ? AND status IN ('draft', 'scheduled')");

  return {
    create: (row: { issue_date: string; subject: string; introduction: string; created_by: string; now: string }): number =>
      Number(insertIssue.run(row).lastInsertRowid),
    findById: (id: number): IssueRow | undefined => byId.get(id),
    findByDate: (date: string): IssueRow | undefined => byDate.get(date),
    list: (limit: number) => list.all(limit),
    /** Changes an issue's words while it has not started; false once it has. */
    updateDraft: (id: number, subject: string, introduction: string, now: string): boolean =>
      updateDraft.run({ id, subject, introduction, now }).changes === 1,
    /** Sets (or with null, clears) when an issue that has not started goes out. */
    schedule: (id: number, sendAt: string | null, now: string): boolean => schedule.run({ id, sendAt, now }).changes === 1,
    stories: (issueId: number): IssueStoryRow[] => stories.all(issueId),
    replaceStories(issueId: number, rows: readonly { article_id: number; position: number; left_out: boolean }[]): void {
      clearStories.run(issueId);
      for (const row of rows)
        addStory.run({ issue_id: issueId, article_id: row.article_id, position: row.position, left_out: row.left_out ? 1 : 0 });
    },
    /** Stories published in (from, until], newest first. */
    weekStories: (from: string, until: string) => weekStories.all({ from, until }),
    /**
     * Starts a send, in one transaction: the rendered review is kept with the issue and the ledger
     * gets a row for every eligible subscriber. The number of recipients; undefined when the issue
     * had started already.
     */
    startSending: db.transaction(
      (issue: number, now: string, rendered: { mail_html: string; mail_text: string; web_html: string }, versions: string[]) => {
        const current = byId.get(issue);
        if (!current || (current.status !== 'draft' && current.status !== 'scheduled')) return undefined;
        const recipients = buildLedger.run({ issue, versions: JSON.stringify(versions) }).changes;
        startSending.run({ id: issue, now, ...rendered, recipients });
        // Its web address may have answered 404 before (a guess, a crawler), kept by a cache.
        purgeNotFound.run();
        return recipients;
      },
    ),
    /** The issue to work on now: one being sent, or one whose time has come. */
    due: (now: string): IssueRow | undefined => due.get({ now }),
    releaseInFlight: (): number => releaseInFlight.run().changes,
    claim: (issue: number, now: string, limit: number): LedgerRow[] => claim.all({ issue, now, limit }),
    /** When the next retry of an unfinished issue is due; null when nothing is left. */
    nextRetryAt: (issue: number): string | null => nextRetry.get(issue) ?? null,
    recipient: (id: number): Recipient | undefined => recipient.get(id),
    markSent: (issue: number, id: number, now: string) => void markSent.run({ issue, id, now }),
    markRetry: (issue: number, id: number, next: string, error: string) =>
      void markRetry.run({ issue, id, next, error: error.slice(0, 500) }),
    markFailed: (issue: number, id: number, error: string) =>
      void markFinal.run({ issue, id, status: 'failed', error: error.slice(0, 500) }),
    markSkipped: (issue: number, id: number) => void markFinal.run({ issue, id, status: 'skipped', error: null }),
    /** A permanent refusal: the address gets no more reviews until its owner confirms again. */
    markBounced: (id: number, now: string) => void markBounced.run({ id, now }),
    progress(issue: number): SendProgress {
      const counts: SendProgress = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
      for (const row of progress.all(issue)) counts[row.status] = row.n;
      return counts;
    },
    /** Marks the issue sent when no row is left to send; whether it did. */
    finishIfDone: (issue: number, now: string): boolean => finish.run({ id: issue, now }).changes === 1,
    removeDraft: (id: number): boolean => removeDraft.run(id).changes === 1,
  };
}

export type NewslettersRepository = ReturnType<typeof createNewslettersRepository>;
