// npm run bench:replica: what one origin holds in sign-ups per second, without and with Litestream
// replicating the database (REPLICA_URL, a local folder), and how long `npm run restore` takes to
// rebuild the 100,000-story database from that replica.
//
// Uses the benchmark database (BENCH_DIR/BENCH_REUSE as `npm run bench`), copied so that each run
// starts from the same file. The site runs as `npm start` does, one worker per core
// (BENCH_WORKERS to change). autocannon sends BENCH_SECONDS (10) of sign-ups from 16 connections,
// each from its own address (TRUST_PROXY=loopback, X-Forwarded-For) and with its own e-mail
// address, after a warm-up. Prints a table and writes bench/replica-results.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../src/project-paths';
import { ensureBenchDatabase } from './bench-database';
import { formatTable } from './stats';
import { SITE_NODE_FLAGS, startProcess, stopProcess } from './bench-processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = 16;
const WORKERS = process.env.BENCH_WORKERS ?? String(os.availableParallelism());
const SEED_PATH = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';

type SignupResult = { name: string; signupsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; other: number };

let sequence = 0;

async function measureSignups(name: string, url: string): Promise<SignupResult> {
  const page = await (await fetch(`${url}${SEED_PATH}`)).text();
  const csrf = /id="offer-panel-form"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  const run = (duration: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          method: 'POST',
          path: '/subscribe',
          setupRequest: (request) => {
            sequence += 1;
            return {
              ...request,
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                origin: url,
                // Each sign-up from its own reader: 198.18.0.0/15 is set aside for benchmarks.
                'x-forwarded-for': `198.18.${Math.floor(sequence / 250) % 250}.${sequence % 250}`,
              },
              body: new URLSearchParams({
                _csrf: csrf,
                email: `bench-${process.pid}-${sequence}@example.com`,
                plan: 'digital',
                consent: 'yes',
                website: '',
                source: '/',
              }).toString(),
            };
          },
        },
      ],
    });
  await run(WARMUP_SECONDS);
  const result = await run(SECONDS);
  const counts = result as unknown as Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', number>;
  return {
    name,
    signupsPerSecond: Math.round(counts['3xx'] / SECONDS),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    other: counts['2xx'] + counts['4xx'] + counts['5xx'],
  };
}

async function main(): Promise<void> {
  const database = await ensureBenchDatabase();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'news-replica-bench-'));
  const results: SignupResult[] = [];
  let restore = { seconds: NaN, megabytes: NaN, articles: 0, output: '' };
  try {
    const copy = async (name: string): Promise<string> => {
      const file = path.join(work, name, 'news.db');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const source = new Database(database.databasePath, { readonly: true });
      await source.backup(file);
      source.close();
      return file;
    };
    const env = (databasePath: string, port: number) => ({
      NODE_ENV: 'production',
      SITE_URL: 'https://news.example',
      DATABASE_PATH: databasePath,
      PHOTOS_DIR: path.join(database.dir, 'photos'),
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: WORKERS,
      TRUST_PROXY: 'loopback',
    });

    for (const replicated of [false, true]) {
      const databasePath = await copy(replicated ? 'replicated' : 'alone');
      const replicaUrl = `file://${path.join(work, 'replica')}`;
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      process.stderr.write(`measuring sign-ups${replicated ? ' under Litestream' : ''}...\n`);
      const site = await startProcess(
        [...SITE_NODE_FLAGS, 'dist/src/server.js'],
        { ...env(databasePath, port), ...(replicated ? { REPLICA_URL: replicaUrl } : {}) },
        port,
        180,
      );
      try {
        results.push(await measureSignups(replicated ? `origin, Litestream replicating to a folder` : 'origin, no replication', site.url));
      } finally {
        await stopProcess(site.child);
      }
      if (replicated) {
        process.stderr.write('measuring a restore of the whole database...\n');
        const target = path.join(work, 'restored', 'news.db');
        const started = performance.now();
        const done = spawnSync(process.execPath, ['dist/src/cli/restore.js', replicaUrl], {
          cwd: PACKAGE_ROOT,
          env: { ...process.env, DATABASE_PATH: target },
          encoding: 'utf8',
        });
        const seconds = (performance.now() - started) / 1000;
        if (done.status !== 0) throw new Error(`npm run restore failed: ${done.stderr}`);
        const restored = new Database(target, { readonly: true });
        restore = {
          seconds: Math.round(seconds * 10) / 10,
          megabytes: Math.round(fs.statSync(target).size / 1e6),
          articles: restored.prepare('SELECT count(*) FROM articles').pluck().get() as number,
          output: done.stdout.trim(),
        };
        restored.close();
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const header = ['target', 'sign-ups/s', 'p50 ms', 'p99 ms', 'errors', 'not 303'];
  const rows = results.map((r) => [r.name, r.signupsPerSecond, r.p50Ms, r.p99Ms, r.errors, r.other].map(String));
  console.log(`${CONNECTIONS} connections; ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured; site workers: ${WORKERS}`);
  for (const line of formatTable(header, rows)) console.log(line);
  console.log(`restore: ${restore.articles} stories, ${restore.megabytes} MB, in ${restore.seconds} s (npm run restore, end to end)`);
  const out = path.join(PACKAGE_ROOT, 'bench', 'replica-results.json');
  fs.writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), connections: CONNECTIONS, seconds: SECONDS, workers: WORKERS, results, restore }, null, 2)}\n`,
  );
  console.log(`Wrote ${out}`);
  if (!process.env.BENCH_DIR) fs.rmSync(database.dir, { recursive: true, force: true });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
