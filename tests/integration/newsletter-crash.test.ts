import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startSmtpSink, type SmtpSink } from '../../bench/smtp-sink';
import { CONSENT_TEXT_VERSION } from '../../src/subscriptions/consent-text';
import { startBuiltServer, type ChildServer } from '../helpers/child-server';

// The weekly review's send survives a kill -9 of the server in the middle of it: started again on
// the same file, it resumes, and every recipient gets exactly one mail, none twice, none missed.
// The kill comes while mails are in flight: the SMTP server has stopped answering (a mail counts
// as delivered only once it has answered 250), so the mails the sender was writing when it died
// are unaccepted, as they would be on a real server, and must go out again after the restart.

const RECIPIENTS = 600;
let dir: string;
let sink: SmtpSink;
let server: ChildServer | null = null;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-review-crash-'));
  sink = await startSmtpSink();
});
afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await sink.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const until = async (condition: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

test('killed with SIGKILL mid-send and started again, the server mails every recipient exactly once', async () => {
  const env = {
    NODE_ENV: 'production',
    DATABASE_PATH: path.join(dir, 'news.db'),
    WEB_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    SMTP_URL: sink.url,
    NEWSLETTER_CONNECTIONS: '4',
    NEWSLETTER_RATE: '10000',
  };
  server = await startBuiltServer(env);

  // The subscribers and an issue due now, written into the running site's file.
  const db = new Database(env.DATABASE_PATH);
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < RECIPIENTS; i++) {
      const id = db
        .prepare(
          `INSERT INTO subscriptions (email, name, plan_code, status, created_at, updated_at, confirmed_at) VALUES (?, 'Reader', 'digital', 'confirmed', ?, ?, ?)`,
        )
        .run(`reader${i}@example.org`, now, now, now).lastInsertRowid;
      db.prepare(
        `INSERT INTO consents (subscription_id, text_version, text, given_at, source_page, ip_hash) VALUES (?, ?, 'Send me the weekly review', ?, '/subscribe', ?)`,
      ).run(id, CONSENT_TEXT_VERSION, now, 'a'.repeat(64));
    }
    const issue = db
      .prepare(
        `INSERT INTO newsletter_issues (issue_date, subject, status, send_at, created_by, created_at, updated_at)
         VALUES ('2013-07-05', 'The week in review', 'scheduled', ?, 'test', ?, ?)`,
      )
      .run(now, now, now).lastInsertRowid;
    db.prepare('INSERT INTO newsletter_stories (issue_id, article_id, position) SELECT ?, id, id FROM articles LIMIT 5').run(issue);
  })();

  // A third of the way: the SMTP server stops answering, the mails in flight stay unaccepted, and
  // once the sender has heard every answer already given, it is killed.
  await until(() => sink.total() >= RECIPIENTS / 3, 30_000, 'a third of the mails');
  sink.hold();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const killed = server;
  killed.child.kill('SIGKILL');
  await killed.exited;
  const ledger = db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM newsletter_sends GROUP BY status');
  const before = Object.fromEntries(ledger.all().map((row) => [row.status, row.n]));
  expect(sink.held()).toBeGreaterThan(0); // it died with mails in flight
  expect(before.sent).toBe(sink.total()); // every accepted mail was recorded before the kill
  expect(before.sent).toBeLessThan(RECIPIENTS);

  sink.resume();
  server = await startBuiltServer(env);
  const status = db.prepare<[], string>('SELECT status FROM newsletter_issues LIMIT 1').pluck();
  await until(() => status.get() === 'sent', 60_000, 'the send to finish');
  expect(server.output()).toContain('review send resumed');
  expect(sink.accepted.size).toBe(RECIPIENTS);
  expect([...sink.accepted.values()].every((count) => count === 1)).toBe(true);
  expect(Object.fromEntries(ledger.all().map((row) => [row.status, row.n]))).toEqual({ sent: RECIPIENTS });
  db.close();
}, 120_000);
