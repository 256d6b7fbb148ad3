// npm run bench: the site under load, side by side with two baselines, in one run.
//
// Builds (or reuses, BENCH_REUSE=1 with BENCH_DIR) a database of 100,000 generated articles,
// starts the site in production mode (`node dist/src/server.js`, WEB_CONCURRENCY=BENCH_WORKERS,
// default 1 so that it is compared process for process), and a bare node:http server and a bare
// Express app that send the seed article page's exact bytes from memory. Each target gets 50
// connections from autocannon: a warm-up, then BENCH_SECONDS (10) measured. Prints a table and
// writes bench/results.json.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../src/project-paths';
import { articlePath } from '../src/site/site-urls';
import { ensureBenchDatabase } from './bench-database';
import { SITE_NODE_FLAGS, prerenderStories, startProcess, stopProcess } from './bench-processes';
import { benchVocabulary, createRandom } from './generate-corpus';
import { formatTable } from './stats';
import { measureLoad, type LoadResult } from './measure-load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = 50;
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };
const SEED_PATH = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';

async function main(): Promise<void> {
  const database = await ensureBenchDatabase();
  const db = new Database(database.databasePath, { readonly: true });
  const random = createRandom(7);
  const articles = (
    db
      .prepare(
        "SELECT s.path AS section_path, a.published_at, a.slug FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.status = 'published'",
      )
      .all() as { section_path: string; published_at: string; slug: string }[]
  ).map((row) => articlePath(row.section_path, row.published_at, row.slug));
  const articleCount = db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
  db.close();
  // Common words: the most frequent of the generated vocabulary, two at a time.
  const common = benchVocabulary().words.slice(0, 12);
  const searches = common.map((word, i) => `/search?q=${word}+${common[(i + 5) % common.length]}`);

  const siteEnv = {
    NODE_ENV: 'production',
    SITE_URL: 'https://news.example',
    DATABASE_PATH: database.databasePath,
    PHOTOS_DIR: path.join(database.dir, 'photos'),
    LOG_LEVEL: 'warn',
  };
  const prerenderReport = prerenderStories(siteEnv);

  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const site = await startProcess(
    [...SITE_NODE_FLAGS, 'dist/src/server.js'],
    { ...siteEnv, PORT: String(port), HOST: '127.0.0.1', WEB_CONCURRENCY: process.env.BENCH_WORKERS ?? '1' },
    port,
  );
  const seedBytes = Buffer.from(await (await fetch(`${site.url}${SEED_PATH}`)).arrayBuffer());
  const seedFile = path.join(database.dir, 'seed-article.html');
  fs.writeFileSync(seedFile, seedBytes);
  const bareNode = await startProcess(['dist/bench/baseline-servers.js', 'node', seedFile], {});
  const bareExpress = await startProcess(['dist/bench/baseline-servers.js', 'express', seedFile], {});

  const randomArticle = () => articles[Math.floor(random() * articles.length)]!;
  const targets: { name: string; url: string; pid: number; paths: () => string; headers?: Record<string, string> }[] = [
    { name: 'bare node:http (seed bytes)', url: bareNode.url, pid: bareNode.child.pid!, paths: () => SEED_PATH },
    { name: 'bare Express (seed bytes)', url: bareExpress.url, pid: bareExpress.child.pid!, paths: () => SEED_PATH },
    { name: 'seed article', url: site.url, pid: site.child.pid!, paths: () => SEED_PATH },
    { name: 'random article', url: site.url, pid: site.child.pid!, paths: randomArticle },
    // What browsers ask for: the rows above are uncompressed, as the baselines are.
    { name: 'seed article, browser (br)', url: site.url, pid: site.child.pid!, paths: () => SEED_PATH, headers: BROWSER },
    { name: 'random article, browser (gzip)', url: site.url, pid: site.child.pid!, paths: randomArticle, headers: BROWSER },
    { name: 'section front /World', url: site.url, pid: site.child.pid!, paths: () => '/World' },
    { name: 'front page /', url: site.url, pid: site.child.pid!, paths: () => '/' },
    { name: 'search, common words', url: site.url, pid: site.child.pid!, paths: () => searches[Math.floor(random() * searches.length)]! },
  ];
  const results: (LoadResult & { name: string; vsExpress: number; vsNode: number })[] = [];
  try {
    for (const target of targets) {
      process.stderr.write(`measuring ${target.name}...\n`);
      const result = await measureLoad({
        url: target.url,
        paths: target.paths,
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        serverPid: target.pid,
        headers: target.headers,
      });
      results.push({ name: target.name, ...result, vsExpress: 0, vsNode: 0 });
    }
  } finally {
    await Promise.all([stopProcess(site.child), stopProcess(bareNode.child), stopProcess(bareExpress.child)]);
  }
  const nodeRate = results[0]!.requestsPerSecond;
  const expressRate = results[1]!.requestsPerSecond;
  for (const result of results) {
    result.vsNode = Math.round((result.requestsPerSecond / nodeRate) * 100) / 100;
    result.vsExpress = Math.round((result.requestsPerSecond / expressRate) * 100) / 100;
  }

  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'peak RSS MB', 'vs Express', 'vs node:http'];
  const rows = results.map((r) =>
    [r.name, r.requestsPerSecond, r.p50Ms, r.p99Ms, r.errors, r.non2xx, r.peakRssMb, r.vsExpress, r.vsNode].map(String),
  );
  console.log(
    `${articleCount} articles; ${CONNECTIONS} connections; ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured; site workers: ${process.env.BENCH_WORKERS ?? '1'}`,
  );
  console.log(`pre-render: ${prerenderReport}`);
  for (const line of formatTable(header, rows)) console.log(line);
  const out = path.join(PACKAGE_ROOT, 'bench', 'results.json');
  fs.writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), articles: articleCount, connections: CONNECTIONS, seconds: SECONDS, prerender: prerenderReport, results }, null, 2)}\n`,
  );
  console.log(`Wrote ${out}`);
  if (!process.env.BENCH_DIR) fs.rmSync(database.dir, { recursive: true, force: true });
}

void main();
