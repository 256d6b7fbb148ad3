// npm run bench:edge: the cache tier under load, beside a bare node:http server, in one run.
//
// Builds (or reuses, BENCH_REUSE=1 with BENCH_DIR) the 100,000-story database, starts the site
// (`node dist/src/server.js`, one worker, purging the edge) and Varnish in front of it
// (`npm run edge`: deploy/varnish/site.vcl), and a bare node:http server that sends the same
// responses (bytes and headers, as Varnish sends them) from memory. Each row gets 50 connections from autocannon: a warm-up, then
// BENCH_SECONDS (10) measured. The hit ratio is Varnish's own count (varnishstat) over the
// measured runs. Then the purge latency: a story's headline is changed in the database, and the
// time until Varnish serves the new one is measured, BENCH_PURGES (20) times.
// Prints a table and writes bench/edge-results.json.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../src/project-paths';
import { ensureBenchDatabase } from './bench-database';
import { SITE_NODE_FLAGS, startProcess, stopProcess } from './bench-processes';
import { benchVocabulary, createRandom } from './generate-corpus';
import { formatTable, percentile } from './stats';
import { measureLoad, type LoadResult } from './measure-load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PURGES = Number(process.env.BENCH_PURGES ?? 20);
const CONNECTIONS = 50;
const SEED_PATH = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';
const SECRET = 'bench-purge-secret-0123456789';

type Counters = { hit: number; miss: number; pass: number };

/** Varnish's lookup counters for this instance (-n). */
function varnishCounters(varnishDir: string): Counters {
  const result = spawnSync('varnishstat', ['-n', varnishDir, '-1', '-j'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`varnishstat failed: ${result.stderr}`);
  const counters = (JSON.parse(result.stdout) as { counters: Record<string, { value: number }> }).counters;
  const value = (name: string) => counters[`MAIN.${name}`]?.value ?? 0;
  return { hit: value('cache_hit') + value('cache_hit_grace'), miss: value('cache_miss'), pass: value('s_pass') };
}

/** Headers Varnish adds or that belong to one connection: the baseline leaves them out. */
const NOT_REPLAYED = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'x-varnish',
  'age',
  'via',
  'accept-ranges',
  'x-cache',
]);

/** A response as sent, bytes and headers (fetch would decompress it). */
function rawResponse(url: string, encoding: string): Promise<{ body: Buffer; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (response) => {
        const chunks: Buffer[] = [];
        const headers = Object.fromEntries(
          Object.entries(response.headers).filter(([name, value]) => !NOT_REPLAYED.has(name) && typeof value === 'string'),
        ) as Record<string, string>;
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ body: Buffer.concat(chunks), headers }));
      })
      .on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const database = await ensureBenchDatabase();
  const articleCount = new Database(database.databasePath, { readonly: true })
    .prepare('SELECT count(*) FROM articles')
    .pluck()
    .get() as number;
  const random = createRandom(11);
  const common = benchVocabulary().words.slice(0, 12);
  const searches = common.map((word, i) => `/search?q=${word}+${common[(i + 5) % common.length]}`);

  const sitePort = 20_000 + Math.floor(Math.random() * 10_000);
  const edgePort = sitePort + 10_000;
  const site = await startProcess(
    [...SITE_NODE_FLAGS, 'dist/src/server.js'],
    {
      NODE_ENV: 'production',
      SITE_URL: 'https://news.example',
      DATABASE_PATH: database.databasePath,
      PHOTOS_DIR: path.join(database.dir, 'photos'),
      LOG_LEVEL: 'warn',
      PORT: String(sitePort),
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: '1',
      CACHE_PURGE_URLS: `http://127.0.0.1:${edgePort}`,
      CACHE_PURGE_SECRET: SECRET,
    },
    sitePort,
  );
  const workDir = path.join(database.dir, 'edge');
  fs.chmodSync(database.dir, 0o755); // Varnish's own users read and compile under it
  const edge = spawn(process.execPath, ['dist/src/cli/edge.js'], {
    cwd: PACKAGE_ROOT,
    env: {
      ...process.env,
      EDGE_PORT: String(edgePort),
      EDGE_ORIGIN: `127.0.0.1:${sitePort}`,
      EDGE_WORK_DIR: workDir,
      EDGE_CACHE_MB: '256',
      CACHE_PURGE_SECRET: SECRET,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  for (let i = 0; ; i += 1) {
    if (i > 600) throw new Error('Varnish did not start');
    const up = await fetch(`${edgeUrl}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    await sleep(100);
  }
  const varnishPid = Number(fs.readFileSync(path.join(workDir, 'varnishd.pid'), 'utf8'));
  const varnishDir = path.join(workDir, 'varnish');

  // The baseline sends the very bytes Varnish sends, for every page the rows ask for.
  const manifest: Record<string, { file: string; headers: Record<string, string> }> = {};
  const pagesDir = path.join(database.dir, 'baseline-pages');
  fs.mkdirSync(pagesDir, { recursive: true });
  for (const [key, pathname, encoding] of [
    ...[SEED_PATH, '/', ...searches].map((pathname) => [pathname, pathname, 'identity']),
    [`br ${SEED_PATH}`, SEED_PATH, 'br'],
  ] as [string, string, string][]) {
    const file = path.join(pagesDir, `${Object.keys(manifest).length}.bin`);
    const response = await rawResponse(`${edgeUrl}${pathname}`, encoding);
    fs.writeFileSync(file, response.body);
    manifest[key] = { file, headers: response.headers };
  }
  const manifestFile = path.join(pagesDir, 'manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const bareNode = await startProcess(['dist/bench/baseline-pages-server.js', manifestFile], {});

  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
  // Each page kind twice: sent by the bare node:http server, then through Varnish.
  const pageKinds: { kind: string; paths: () => string; headers?: Record<string, string> }[] = [
    { kind: 'seed article', paths: () => SEED_PATH },
    { kind: 'front page /', paths: () => '/' },
    { kind: 'search, common words', paths: () => pick(searches) },
    { kind: 'seed article, browser (br)', paths: () => SEED_PATH, headers: browser },
  ];
  const targets: { name: string; url: string; pid: number; paths: () => string; headers?: Record<string, string>; edge?: boolean }[] = [
    { name: 'origin alone: seed article', url: site.url, pid: site.child.pid!, paths: () => SEED_PATH },
    ...pageKinds.flatMap((row) => [
      { name: `bare node:http: ${row.kind}`, url: bareNode.url, pid: bareNode.child.pid!, paths: row.paths, headers: row.headers },
      { name: `Varnish: ${row.kind}`, url: edgeUrl, pid: varnishPid, paths: row.paths, headers: row.headers, edge: true },
    ]),
  ];
  const results: (LoadResult & { name: string; vsNode: number; hitRatio: number | null })[] = [];
  const total: Counters = { hit: 0, miss: 0, pass: 0 };
  const purgeLatenciesMs: number[] = [];
  try {
    for (const target of targets) {
      process.stderr.write(`measuring ${target.name}...\n`);
      let before: Counters | undefined;
      const result = await measureLoad({
        url: target.url,
        paths: target.paths,
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        serverPid: target.pid,
        headers: target.headers,
        afterWarmup: target.edge ? () => (before = varnishCounters(varnishDir)) : undefined,
      });
      let hitRatio: number | null = null;
      if (before) {
        const after = varnishCounters(varnishDir);
        const delta = { hit: after.hit - before.hit, miss: after.miss - before.miss, pass: after.pass - before.pass };
        for (const key of ['hit', 'miss', 'pass'] as const) total[key] += delta[key];
        hitRatio = delta.hit / Math.max(1, delta.hit + delta.miss + delta.pass);
      }
      results.push({ name: target.name, ...result, vsNode: 0, hitRatio });
    }

    // Purge latency: commit a change, poll through Varnish until it shows.
    process.stderr.write('measuring purge latency...\n');
    const db = new Database(database.databasePath);
    db.pragma('busy_timeout = 5000');
    const id = db.prepare('SELECT min(id) FROM articles').pluck().get() as number;
    for (let round = 0; round < PURGES; round += 1) {
      await fetch(`${edgeUrl}${SEED_PATH}`).then((res) => res.arrayBuffer());
      const headline = `Talks resume, edition ${round} ${Date.now()}`;
      db.prepare('UPDATE articles SET headline = ? WHERE id = ?').run(headline, id);
      const committed = performance.now();
      for (;;) {
        const body = await (await fetch(`${edgeUrl}${SEED_PATH}`, { headers: { 'accept-encoding': 'identity' } })).text();
        if (body.includes(headline)) break;
        if (performance.now() - committed > 10_000) throw new Error('a change was not visible through Varnish within 10 s');
        await sleep(5);
      }
      purgeLatenciesMs.push(Math.round(performance.now() - committed));
      await sleep(100);
    }
    db.close();
  } finally {
    edge.kill('SIGTERM');
    await Promise.all([stopProcess(site.child), stopProcess(bareNode.child), new Promise((resolve) => edge.once('exit', resolve))]);
  }
  // Each row against the bare node:http server sending the same bytes (the row before it).
  for (const [index, result] of results.entries()) {
    const kind = result.name.replace(/^[^:]+: /, '');
    const bare = results.find((other) => other.name === `bare node:http: ${kind}`) ?? results[index]!;
    result.vsNode = Math.round((result.requestsPerSecond / bare.requestsPerSecond) * 100) / 100;
  }
  const overallHitRatio = total.hit / Math.max(1, total.hit + total.miss + total.pass);
  const purge = { rounds: purgeLatenciesMs.length, p50Ms: percentile(purgeLatenciesMs, 50), maxMs: percentile(purgeLatenciesMs, 100) };

  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'peak RSS MB', 'hit ratio', 'vs node:http'];
  const rows = results.map((r) =>
    [
      r.name,
      r.requestsPerSecond,
      r.p50Ms,
      r.p99Ms,
      r.errors,
      r.non2xx,
      r.peakRssMb,
      r.hitRatio === null ? '' : `${(r.hitRatio * 100).toFixed(2)} %`,
      r.vsNode,
    ].map(String),
  );
  console.log(`${articleCount} articles; ${CONNECTIONS} connections; ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured; one site worker`);
  for (const line of formatTable(header, rows)) console.log(line);
  console.log(
    `hit ratio over the Varnish rows after warm-up: ${(overallHitRatio * 100).toFixed(2)} % (${total.hit} hits, ${total.miss} misses, ${total.pass} passes)`,
  );
  console.log(
    `purge latency, change committed to new page through Varnish: p50 ${purge.p50Ms} ms, max ${purge.maxMs} ms over ${purge.rounds} changes`,
  );
  const out = path.join(PACKAGE_ROOT, 'bench', 'edge-results.json');
  fs.writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), articles: articleCount, connections: CONNECTIONS, seconds: SECONDS, results, overallHitRatio, purge }, null, 2)}\n`,
  );
  console.log(`Wrote ${out}`);
  if (!process.env.BENCH_DIR) fs.rmSync(database.dir, { recursive: true, force: true });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
