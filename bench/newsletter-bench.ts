// npm run bench:newsletter: the weekly review sent to BENCH_RECIPIENTS (100,000) generated
// subscribers through a loopback SMTP sink (smtp-server, in this process), by the site itself
// (`node dist/src/server.js`, one process: its primary runs the sender) with NEWSLETTER_RATE set
// out of the way and NEWSLETTER_CONNECTIONS (default 4) pooled connections. Reports mails per
// second (from the send's start to its finish, as the ledger records them) and the sending
// process's peak RSS (VmHWM), and checks that every recipient got exactly one mail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { prepareDatabase } from '../src/prepare-database';
import { startProcess, stopProcess } from './bench-processes';
import { writeConfirmedSubscribers } from './bench-subscribers';
import { startSmtpSink } from './smtp-sink';
import { formatTable } from './stats';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const CONNECTIONS = process.env.NEWSLETTER_CONNECTIONS ?? '4';

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-newsletter-bench-'));
  const databasePath = path.join(dir, 'news.db');
  const sink = await startSmtpSink();
  try {
    const env = { NODE_ENV: 'production', DATABASE_PATH: databasePath, SMTP_URL: sink.url, LOG_LEVEL: 'warn' };
    await prepareDatabase(loadConfig(env), pino({ level: 'warn' }));

    // The subscribers, confirmed with a consent that covers the review, and an issue due now.
    const db = new Database(databasePath);
    const now = new Date().toISOString();
    db.transaction(() => {
      writeConfirmedSubscribers(db, RECIPIENTS, now);
      const issue = db
        .prepare(
          `INSERT INTO newsletter_issues (issue_date, subject, introduction, status, send_at, created_by, created_at, updated_at)
           VALUES ('2013-07-05', 'The week in review', 'The week''s stories.', 'scheduled', ?, 'bench', ?, ?)`,
        )
        .run(now, now, now).lastInsertRowid;
      db.prepare(
        `INSERT INTO newsletter_stories (issue_id, article_id, position) SELECT ?, id, row_number() OVER (ORDER BY published_at DESC) FROM articles LIMIT 12`,
      ).run(issue);
    })();
    db.close();
    console.log(`${RECIPIENTS.toLocaleString('en-US')} subscribers written; starting the site, which sends the review.`);

    const port = Number(process.env.BENCH_PORT ?? 3187);
    const { child } = await startProcess(
      ['dist/src/server.js'],
      {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        WEB_CONCURRENCY: '1',
        NEWSLETTER_RATE: '10000',
        NEWSLETTER_CONNECTIONS: CONNECTIONS,
      },
      port,
    );
    const reader = new Database(databasePath, { readonly: true });
    const issueState = reader.prepare<[], { status: string; started_at: string | null; finished_at: string | null }>(
      'SELECT status, started_at, finished_at FROM newsletter_issues LIMIT 1',
    );
    let state = issueState.get()!;
    let lastReport = Date.now();
    while (state.status !== 'sent') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = issueState.get()!;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        console.log(`  ${sink.total().toLocaleString('en-US')} mails accepted by the sink`);
      }
    }
    const peak = peakRssMb(child.pid!);
    await stopProcess(child);
    const seconds = (Date.parse(state.finished_at!) - Date.parse(state.started_at!)) / 1000;
    const twice = [...sink.accepted.values()].filter((count) => count > 1).length;
    const ledger = reader
      .prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM newsletter_sends GROUP BY status')
      .all();
    reader.close();

    const rows = [
      ['recipients', RECIPIENTS.toLocaleString('en-US')],
      ['mails accepted by the sink', sink.total().toLocaleString('en-US')],
      ['recipients mailed more than once', String(twice)],
      ['ledger', ledger.map((row) => `${row.status} ${row.n.toLocaleString('en-US')}`).join(', ')],
      ['seconds, start to finish', seconds.toFixed(1)],
      ['mails per second', (RECIPIENTS / seconds).toFixed(0)],
      ["sending process's peak RSS (VmHWM), MB", peak.toFixed(0)],
      ['pooled SMTP connections', CONNECTIONS],
    ];
    for (const line of formatTable(['', 'value'], rows)) console.log(line);
    fs.writeFileSync(
      path.join(__dirname, '..', '..', 'bench', 'newsletter-results.json'),
      `${JSON.stringify({ recipients: RECIPIENTS, accepted: sink.total(), twice, seconds, mailsPerSecond: RECIPIENTS / seconds, peakRssMb: peak, connections: Number(CONNECTIONS) }, null, 2)}\n`,
    );
    if (sink.total() !== RECIPIENTS || twice > 0) process.exitCode = 1;
  } finally {
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
