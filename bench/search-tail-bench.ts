// npm run bench:search-tail: search under a long tail of distinct queries, against the
// 100,000-story bench database (BENCH_DIR and BENCH_REUSE=1 as for npm run bench).
//
// The site runs as `npm start` runs it with one worker (WEB_CONCURRENCY=1); threads it starts
// itself count within it. No search URL answered with results is asked for again in the run
// (warm-ups included), so that none is answered from the page cache. A refused one may be: a 503
// is never kept, and there are only 39,800 pairs of the 200 commonest words, fewer than a run
// asks for now that refusing is cheap. Each load has 50 connections for BENCH_SECONDS
// (20) after a warm-up that is not counted; before the first search row, the site is warmed up
// with distinct mixed searches (BENCH_SITE_WARMUP_SECONDS, 20; see SITE_WARMUP_SECONDS). Rows:
// - bare Express sending the seed page's bytes: the baseline the ratios are taken against (see the last row);
// - distinct mixed queries: one to three words drawn by how often the corpus uses them; one in
//   ten misspelt, one in ten within a section, one in ten sorted by newest;
// - distinct pairs of the 200 commonest words (the worst case: long posting lists);
// - random article first visits, alone;
// - both at once: mixed searches past capacity and random articles on the same server
//   (isolation: the articles must keep their latency while search is saturated);
// - bare Express again, last: this shared machine's speed drifts over minutes (from -4 to +34 %
//   between the first row and this one in three runs), so the ratios are taken against the mean
//   of the two, and the drift is printed.
// For each row: req/s, answers with results (2xx) per second, p50/p99/max latency, time-outs, 503s (search refused on purpose), other
// 5xx, and how many of the connections got at least one answer (none may starve).
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { articlePath } from '../src/site/site-urls';
import { ensureBenchDatabase } from './bench-database';
import { SITE_NODE_FLAGS, prerenderStories, startProcess, stopProcess } from './bench-processes';
import { benchVocabulary, createRandom } from './generate-corpus';
import { formatTable, round } from './stats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/**
 * Distinct mixed searches before the first search row, not counted: a site answers far fewer in
 * the first 20-40 s of searches after it starts than later, while V8 compiles the search and page
 * code and each search thread fills its caches (word stems, word counts, headline lists). Measured
 * on freshly started servers in consecutive 10 s rows of distinct mixed searches: 431 answers a
 * second in the first row then 538-623, 349 then 470-599, 356 then 438-593, and 288 then 341-435
 * when the machine was slower (docs/scaling.md). A site runs for days between starts; the rows
 * measure it warm. (BENCH_SITE_WARMUP_SECONDS=0 measures it cold.)
 */
const SITE_WARMUP_SECONDS = Number(process.env.BENCH_SITE_WARMUP_SECONDS ?? 20);
const CONNECTIONS = 50;
const SEED_PATH = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';

type Row = {
  name: string;
  requestsPerSecond: number;
  /** Answers with results (2xx), per second: what readers got, refusals left out. */
  answeredPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  timeouts: number;
  refused503: number;
  other5xx: number;
  answeredConnections: number;
};

/** One autocannon run; per-connection answers are counted to show that none starved. */
async function load(name: string, url: string, paths: SearchPaths | (() => string), seconds: number): Promise<Row> {
  const answered = new Set<unknown>();
  const next = typeof paths === 'function' ? paths : paths.next;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (request, context: { path?: string }) => {
          context.path = next();
          return { ...request, path: context.path };
        },
        // Tells the search URLs which of them were answered with results, never to be asked again.
        onResponse: (status, _body, context: { path?: string }) => {
          if (typeof paths !== 'function' && status >= 200 && status < 300 && context.path) paths.answered(context.path);
        },
      },
    ],
    setupClient: (client) => client.on('response', () => answered.add(client)),
  });
  const statuses = result.statusCodeStats as Record<string, { count: number }>;
  const count = (match: (code: number) => boolean) =>
    Object.entries(statuses).reduce((sum, [code, stats]) => sum + (match(Number(code)) ? stats.count : 0), 0);
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    answeredPerSecond: Math.round(count((code) => code >= 200 && code < 300) / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    timeouts: result.timeouts,
    refused503: count((code) => code === 503),
    other5xx: count((code) => code >= 500 && code !== 503),
    answeredConnections: answered.size,
  };
}

/** A warm-up (not counted) and then the measured run. */
async function measure(name: string, url: string, paths: SearchPaths | (() => string)): Promise<Row> {
  process.stderr.write(`measuring ${name}...\n`);
  await load(name, url, paths, WARMUP_SECONDS);
  return load(name, url, paths, SECONDS);
}

/** Search URLs for a load: the next to ask for, and what to do when one was answered with results. */
type SearchPaths = { next: () => string; answered: (path: string) => void };

/**
 * Search URLs from `candidate`, never one already answered with results in this run (it could
 * come from the page cache). `candidate` is asked again until it gives one; a URL that was only
 * refused may come back.
 */
function neverAnsweredTwice(candidate: () => string): SearchPaths {
  const answered = new Set<string>();
  return {
    next: () => {
      for (let attempt = 0; ; attempt += 1) {
        const url = candidate();
        if (!answered.has(url) || attempt > 1000) return url;
      }
    },
    answered: (path) => answered.add(path),
  };
}

/** The items in a random order, over and over (each round in the same order). */
function cycle<T>(items: T[], random: () => number): () => T {
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  let at = 0;
  return () => shuffled[at++ % shuffled.length]!;
}

function misspell(word: string, random: () => number): string {
  const at = Math.floor(random() * word.length);
  const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]!;
  return word.length > 3 && random() < 0.5 ? word.slice(0, at) + word.slice(at + 1) : word.slice(0, at) + letter + word.slice(at + 1);
}

async function main(): Promise<void> {
  const database = await ensureBenchDatabase();
  const db = new Database(database.databasePath, { readonly: true });
  const articles = (
    db
      .prepare(
        "SELECT s.path AS section_path, a.published_at, a.slug FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.status = 'published'",
      )
      .all() as { section_path: string; published_at: string; slug: string }[]
  ).map((row) => articlePath(row.section_path, row.published_at, row.slug));
  const sections = db.prepare('SELECT path FROM sections').pluck().all() as string[];
  const articleCount = db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
  db.close();

  const vocabulary = benchVocabulary();
  const random = createRandom(17);
  const mixed = neverAnsweredTwice(() => {
    const words = Array.from({ length: 1 + Math.floor(random() * 3) }, () => vocabulary.sample());
    const roll = random();
    if (roll < 0.1) words[0] = misspell(words[0]!, random);
    const params = new URLSearchParams({ q: words.join(' ') });
    if (roll >= 0.1 && roll < 0.2) params.set('section', sections[Math.floor(random() * sections.length)]!);
    if (roll >= 0.2 && roll < 0.3) params.set('sort', 'newest');
    return `/search?${params.toString()}`;
  });
  const common = vocabulary.words.slice(0, 200);
  const pairs = neverAnsweredTwice(
    cycle(
      common.flatMap((a) => common.filter((b) => b !== a).map((b) => `/search?${new URLSearchParams({ q: `${a} ${b}` }).toString()}`)),
      random,
    ),
  );
  const randomArticle = () => articles[Math.floor(random() * articles.length)]!;

  const siteEnv = {
    NODE_ENV: 'production',
    SITE_URL: 'https://news.example',
    DATABASE_PATH: database.databasePath,
    PHOTOS_DIR: path.join(database.dir, 'photos'),
    LOG_LEVEL: 'warn',
  };
  prerenderStories(siteEnv);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const site = await startProcess(
    [...SITE_NODE_FLAGS, 'dist/src/server.js'],
    { ...siteEnv, PORT: String(port), HOST: '127.0.0.1', WEB_CONCURRENCY: '1' },
    port,
    120,
  );
  const seedFile = path.join(database.dir, 'seed-article.html');
  fs.writeFileSync(seedFile, Buffer.from(await (await fetch(`${site.url}${SEED_PATH}`)).arrayBuffer()));
  const bareExpress = await startProcess(['dist/bench/baseline-servers.js', 'express', seedFile], {});

  const rows: Row[] = [];
  try {
    rows.push(await measure('bare Express, seed bytes (baseline)', bareExpress.url, () => SEED_PATH));
    if (SITE_WARMUP_SECONDS > 0) {
      process.stderr.write(`warming the site up with ${SITE_WARMUP_SECONDS} s of distinct mixed searches...\n`);
      await load('site warm-up', site.url, mixed, SITE_WARMUP_SECONDS);
    }
    rows.push(await measure('search, distinct mixed queries', site.url, mixed));
    rows.push(await measure('search, distinct pairs of the 200 commonest words', site.url, pairs));
    rows.push(await measure('random article, first visits', site.url, randomArticle));
    process.stderr.write('measuring both at once...\n');
    const together = await Promise.all([
      load('both at once: search, distinct mixed queries', site.url, mixed, SECONDS),
      load('both at once: random article, first visits', site.url, randomArticle, SECONDS),
    ]);
    rows.push(...together);
    // The machine's speed drifts over minutes on a shared host: the baseline is measured again
    // last, and the ratios are taken against the mean of the two (the drift is printed).
    rows.push(await measure('bare Express again, after the rest', bareExpress.url, () => SEED_PATH));
  } finally {
    await Promise.all([stopProcess(site.child), stopProcess(bareExpress.child)]);
  }

  const [before, after] = [rows[0]!.requestsPerSecond, rows[rows.length - 1]!.requestsPerSecond];
  const baseline = (before + after) / 2;
  const header = [
    'load (one worker, 50 connections)',
    'req/s',
    '2xx/s',
    '2xx vs Express',
    'p50 ms',
    'p99 ms',
    'max ms',
    'timeouts',
    '503',
    'other 5xx',
    'answered conns',
  ];
  const table = rows.map((row) => [
    row.name,
    row.requestsPerSecond.toLocaleString('en-US'),
    row.answeredPerSecond.toLocaleString('en-US'),
    String(round(row.answeredPerSecond / baseline, 4)),
    String(row.p50Ms),
    String(row.p99Ms),
    String(row.maxMs),
    String(row.timeouts),
    String(row.refused503),
    String(row.other5xx),
    `${row.answeredConnections}/${CONNECTIONS}`,
  ]);
  console.log(
    `${articleCount} articles; the site warmed up with ${SITE_WARMUP_SECONDS} s of distinct mixed searches, then each row ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured; no search URL answered twice in the run`,
  );
  for (const line of formatTable(header, table)) console.log(line);
  console.log(
    `bare Express moved ${round(((after - before) / before) * 100, 1)} % between the first row and the last; the ratios are to their mean, ${Math.round(baseline).toLocaleString('en-US')} req/s`,
  );
  if (!process.env.BENCH_DIR) fs.rmSync(database.dir, { recursive: true, force: true });
}

void main();
