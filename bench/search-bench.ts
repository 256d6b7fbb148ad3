// npm run bench:search: builds a database of 100,000 generated articles (or BENCH_ARTICLES),
// reports the index build time and the database size, then runs 1,000 random one- to three-word
// queries and prints p50 and p99 latency of the query alone and of the whole HTTP request.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { migrate } from '../src/db/migrate';
import { openDatabase } from '../src/db/open-database';
import { analyzeWithoutSamples } from '../src/db/planner-samples';
import { createLogger } from '../src/logger';
import { createSearchRepository } from '../src/search/search-repository';
import { compileSearchQuery } from '../src/search/search-query';
import { runSearch } from '../src/search/search-plan';
import { benchVocabulary, createRandom, generateCorpus, PhotoStore } from './generate-corpus';
import { percentile, round } from './stats';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);

async function main(): Promise<void> {
  const dir = process.env.BENCH_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'news-bench-search-'));
  const databasePath = path.join(dir, 'bench.db');
  if (process.env.BENCH_REUSE !== '1') for (const suffix of ['', '-wal', '-shm']) fs.rmSync(databasePath + suffix, { force: true });
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_PATH: databasePath, LOG_LEVEL: 'silent', PORT: '0' });
  const db = openDatabase(databasePath);
  migrate(db);

  // BENCH_REUSE=1 with BENCH_DIR keeps a database built by an earlier run (generation takes minutes).
  const reuse = process.env.BENCH_REUSE === '1' && (db.prepare('SELECT count(*) FROM articles').pluck().get() as number) > ARTICLES;
  let insertSeconds = NaN;
  let rebuildSeconds = NaN;
  if (!reuse) {
    let started = performance.now();
    await generateCorpus(db, new PhotoStore(config.photosDir), ARTICLES, (done) => {
      if (done % 10_000 === 0) process.stderr.write(`\rgenerated ${done} articles`);
    });
    process.stderr.write('\n');
    insertSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    db.exec("INSERT INTO article_search (article_search) VALUES ('rebuild')");
    rebuildSeconds = (performance.now() - started) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');
    analyzeWithoutSamples(db);
  }
  const vocabulary = benchVocabulary();
  const sizeMb = fs.statSync(databasePath).size / 1024 / 1024;

  const random = createRandom(42);
  const queries = Array.from({ length: QUERIES }, () =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => vocabulary.sample()).join(' '),
  );

  // The query alone: what the results page runs for its first page (candidates, ranking, rows).
  const search = createSearchRepository(db);
  const now = new Date().toISOString();
  // Warm-up with other queries (not measured): SQLite's page cache and the word-frequency cache
  // start cold, and a server does not.
  const warmup = createRandom(4242);
  for (let i = 0; i < 200; i += 1) {
    const q = Array.from({ length: 1 + Math.floor(warmup() * 3) }, () => vocabulary.sample()).join(' ');
    runSearch(search, compileSearchQuery(q).clauses, { now, sectionIds: null, from: null, to: null }, 'relevance', 10, 0);
  }
  const queryTimes: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    runSearch(search, compileSearchQuery(q).clauses, { now, sectionIds: null, from: null, to: null }, 'relevance', 10, 0);
    queryTimes.push(performance.now() - t);
  }

  // The whole HTTP request, one at a time, against the app listening on loopback.
  const app = createApp({ db, config, logger: createLogger(config) });
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const httpTimes: number[] = [];
  let errors = 0;
  for (const q of queries) {
    const t = performance.now();
    const res = await fetch(`${base}/search?q=${encodeURIComponent(q)}`);
    await res.arrayBuffer();
    httpTimes.push(performance.now() - t);
    if (res.status !== 200) errors += 1;
  }
  server.close();

  const result = {
    articles: ARTICLES + 48,
    insertWithIndexSeconds: round(insertSeconds, 1),
    indexRebuildSeconds: round(rebuildSeconds, 1),
    databaseMb: round(sizeMb, 0),
    queries: QUERIES,
    queryMs: { p50: round(percentile(queryTimes, 50)), p99: round(percentile(queryTimes, 99)) },
    httpMs: { p50: round(percentile(httpTimes, 50)), p99: round(percentile(httpTimes, 99)) },
    httpErrors: errors,
  };
  console.log(JSON.stringify(result, null, 2));
  db.close();
  if (!process.env.BENCH_DIR) fs.rmSync(dir, { recursive: true, force: true });
}

void main();
