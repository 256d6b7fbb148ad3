// npm run bench:subscribers-export: the newsroom's "Export CSV" of BENCH_SUBSCRIBERS (1,000,000)
// subscribers, from the site itself (`node dist/src/server.js`, one process), signed in as an
// admin. Reports the rows and bytes received, the time, and the site's resident memory before the
// export and at its peak (VmHWM): the export is streamed in batches, so the peak should not grow
// with the number of rows.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { PACKAGE_ROOT } from '../src/project-paths';
import { prepareDatabase } from '../src/prepare-database';
import { startProcess, stopProcess } from './bench-processes';
import { writeConfirmedSubscribers } from './bench-subscribers';
import { formatTable } from './stats';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000_000);
const ADMIN = { email: 'bench-admin@news.example', password: 'a bench admin password' };

const rssMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Signs in as a browser does; the session cookie. */
async function signIn(url: string): Promise<string> {
  const form = await fetch(`${url}/admin/login`);
  const formCookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: formCookie, 'Sec-Fetch-Site': 'same-origin', Origin: url },
    body: new URLSearchParams({ _csrf: csrf, email: ADMIN.email, password: ADMIN.password, next: '/admin' }).toString(),
  });
  const session = res.headers.getSetCookie().find((cookie) => cookie.startsWith('newsroom='));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return session.split(';')[0]!;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-export-bench-'));
  const databasePath = path.join(dir, 'news.db');
  try {
    const env = { NODE_ENV: 'production', DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' };
    await prepareDatabase(loadConfig(env), pino({ level: 'warn' }));
    const db = new Database(databasePath);
    const now = new Date().toISOString();
    db.transaction(() => {
      writeConfirmedSubscribers(db, SUBSCRIBERS, now);
    })();
    db.close();
    const added = spawnSync(
      process.execPath,
      [path.join(PACKAGE_ROOT, 'bin/news.js'), 'newsroom:add-user', ADMIN.email, '--role', 'admin'],
      {
        env: { PATH: process.env.PATH ?? '', DATABASE_PATH: databasePath },
        input: `${ADMIN.password}\n`,
        encoding: 'utf8',
      },
    );
    if (added.status !== 0) throw new Error(added.stderr);
    console.log(`${SUBSCRIBERS.toLocaleString('en-US')} subscribers written; starting the site.`);

    const port = Number(process.env.BENCH_PORT ?? 3188);
    const { child, url } = await startProcess(
      ['dist/src/server.js'],
      { ...env, PORT: String(port), HOST: '127.0.0.1', WEB_CONCURRENCY: '1' },
      port,
    );
    const cookie = await signIn(url);
    await fetch(`${url}/admin/subscribers`, { headers: { Cookie: cookie } }).then((res) => res.text());
    const before = rssMb(child.pid!, 'VmRSS');
    const beforePeak = rssMb(child.pid!, 'VmHWM');
    // The site's resident memory, sampled while it streams (its VmHWM may date from start-up).
    let during = before;
    const sampler = setInterval(() => (during = Math.max(during, rssMb(child.pid!, 'VmRSS'))), 50);
    const started = Date.now();
    const res = await fetch(`${url}/admin/subscribers/export.csv`, { headers: { Cookie: cookie } });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines += 1;
    }
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    const peak = rssMb(child.pid!, 'VmHWM');
    await stopProcess(child);
    const rows = [
      ['subscribers', SUBSCRIBERS.toLocaleString('en-US')],
      ['CSV rows received (with the header)', lines.toLocaleString('en-US')],
      ['MB received', (bytes / 1024 / 1024).toFixed(1)],
      ['seconds', seconds.toFixed(1)],
      ['rows per second', Math.round((lines - 1) / seconds).toLocaleString('en-US')],
      ["site's RSS before the export, MB", before.toFixed(0)],
      ["site's highest RSS sampled during the export (every 50 ms), MB", during.toFixed(0)],
      ["site's peak RSS since its start (VmHWM) before / after the export, MB", `${beforePeak.toFixed(0)} / ${peak.toFixed(0)}`],
    ];
    for (const line of formatTable(['', 'value'], rows)) console.log(line);
    if (lines !== SUBSCRIBERS + 1) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
