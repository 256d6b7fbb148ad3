// npm run bench:abuse: the inputs that used to hold a worker for seconds, against the 100,000-story
// bench database (BENCH_DIR and BENCH_REUSE=1 as for npm run bench).
//
// One production worker (WEB_CONCURRENCY=1) with the page cache off, so that every request does
// its whole work, as each new variant of a query does behind a CDN. Each input is sent 5 times,
// one after another; meanwhile /healthz is asked again and again, one at a time, and its slowest
// answer is what a reader's page waited behind that input at worst. Server time is what the site's
// own request log says each of those requests took (matched by X-Request-Id); the client's time on
// loopback, which includes waiting behind the probes, is shown beside it. Then a second worker, with
// the page cache on, takes a long run of distinct long URLs and then the largest pages, and its
// memory is read from /proc. Loopback only; bounded in count.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBenchDatabase } from './bench-database';
import { SITE_NODE_FLAGS, startProcess, stopProcess } from './bench-processes';
import { benchVocabulary, createRandom } from './generate-corpus';
import { percentile, round, formatTable } from './stats';

const RUNS = 5;

function startSite(env: Record<string, string>) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const siteEnv = { ...env, PORT: String(port), HOST: '127.0.0.1', WEB_CONCURRENCY: '1', NODE_ENV: 'production', LOG_LEVEL: 'info' };
  // The first start on a database from before migration 0021 rebuilds the search index (~25 s).
  return startProcess([...SITE_NODE_FLAGS, 'dist/src/server.js'], siteEnv, port, 120);
}

async function timed(url: string): Promise<{ ms: number; status: number; bytes: number; requestId: string }> {
  const started = performance.now();
  const res = await fetch(url, { redirect: 'manual' });
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: performance.now() - started, status: res.status, bytes, requestId: res.headers.get('x-request-id') ?? '' };
}

/** The request log's duration of each request, by request id, as the site writes it. */
function serverDurations(child: ChildProcess): Map<string, number> {
  const durations = new Map<string, number>();
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line.includes('"msg":"request"')) continue;
      const entry = JSON.parse(line) as { reqId: string; durationMs: number };
      durations.set(entry.reqId, entry.durationMs);
    }
  });
  return durations;
}

/** Asks /healthz one request at a time until `done()`; returns each answer's latency. */
async function probeHealth(base: string, done: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!done()) latencies.push((await timed(`${base}/healthz`)).ms);
  return latencies;
}

const rssMb = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024, 1);
};

async function main(): Promise<void> {
  const database = await ensureBenchDatabase();
  const siteEnv = { DATABASE_PATH: database.databasePath, PHOTOS_DIR: path.join(database.dir, 'photos'), SITE_URL: 'https://news.example' };
  const random = createRandom(28);
  const unknownWord = () => Array.from({ length: 6 }, () => 'bcdfghjklmnpqrstvwxz'[Math.floor(random() * 20)]).join('');
  const common = benchVocabulary().words.slice(0, 2);
  const inputs: [string, string][] = [
    ['common words (reference)', `/search?q=${common[0]}+${common[1]}`],
    ['one-letter prefix s*', '/search?q=s*'],
    ['one-letter prefix p*', '/search?q=p*'],
    ['two-letter prefix po*', '/search?q=po*'],
    ['three-letter prefix san*', '/search?q=san*'],
    ['s* p* m* t* r* l*', '/search?q=s*+p*+m*+t*+r*+l*'],
    ['a* b* ... z*', `/search?q=${'abcdefghijklmnopqrstuvwxyz'.split('').join('*+')}*`],
    ['three two-letter prefixes', '/search?q=po*+sa*+ma*'],
    ['28 unknown six-letter words', `/search?q=${Array.from({ length: 28 }, unknownWord).join('+')}`],
    ['a prefix in one section', '/search?q=po*&section=USA%2FPolitics'],
    ['front page, page 4998', '/?page=4998'],
    ['section front, deepest page (100)', '/World?page=100'],
    ['sitemap index', '/sitemap.xml'],
    ['first article sitemap', '/sitemaps/articles-1.xml'],
    ['last article sitemap', '/sitemaps/articles-200.xml'],
    ['unknown parameter on a story', `/World?x=${'y'.repeat(4000)}`],
  ];

  const site = await startSite({ ...siteEnv, PAGE_CACHE_MB: '0' });
  const logged = serverDurations(site.child);
  const rows: string[][] = [];
  let worstServer = 0;
  let worstHealth = 0;
  try {
    for (let i = 0; i < 20; i += 1) await timed(`${site.url}/healthz`); // warm up
    for (const [name, pathAndQuery] of inputs) {
      await timed(site.url + pathAndQuery); // prepared statements and caches of the process, not of the page
      let finished = false;
      const health = probeHealth(site.url, () => finished);
      const runs: { ms: number; status: number; bytes: number; requestId: string }[] = [];
      for (let i = 0; i < RUNS; i += 1) runs.push(await timed(site.url + pathAndQuery));
      finished = true;
      const healthLatencies = await health;
      await new Promise((resolve) => setTimeout(resolve, 50)); // the last log lines
      const times = runs.map((run) => logged.get(run.requestId) ?? Number.NaN);
      const clientTimes = runs.map((run) => run.ms);
      const healthMax = Math.max(...healthLatencies);
      worstServer = Math.max(worstServer, ...times);
      worstHealth = Math.max(worstHealth, healthMax);
      rows.push([
        name,
        String(runs[0]!.status),
        String(round(percentile(times, 50), 1)),
        String(round(Math.max(...times), 1)),
        String(round(percentile(clientTimes, 50), 1)),
        String(Math.round(runs[0]!.bytes / 1024)),
        String(round(healthMax, 1)),
        String(healthLatencies.length),
      ]);
    }
  } finally {
    await stopProcess(site.child);
  }

  // The long-URL run: distinct story and search URLs near the 4,096-character limit, with the page
  // cache on (16 MB), then the largest pages.
  const cached = await startSite({ ...siteEnv });
  let longRun: string;
  try {
    const rssBefore = rssMb(cached.child.pid!);
    const filler = 'x'.repeat(3_900);
    let slowest = 0;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 4_000; i += 1) {
      const target = i % 2 === 0 ? `/search?q=korea+${i}${filler}` : `/World?page=${(i % 100) + 1}&u=${i}${filler}`;
      const { ms, status } = await timed(cached.url + target);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      slowest = Math.max(slowest, ms);
    }
    const largest = await timed(`${cached.url}/sitemaps/articles-1.xml`);
    const front = await timed(`${cached.url}/`);
    longRun = [
      `long-URL run: 4,000 distinct URLs of ~4,000 characters (${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}), slowest ${round(slowest, 1)} ms;`,
      `worker RSS ${rssBefore} MB before, ${rssMb(cached.child.pid!)} MB after; then the largest sitemap ${largest.status} in ${round(largest.ms, 1)} ms and the front page ${front.status}.`,
    ].join('\n');
  } finally {
    await stopProcess(cached.child);
  }

  const header = ['input', 'status', 'server p50 ms', 'server max ms', 'client p50 ms', 'kB', '/healthz max ms', 'health probes'];
  console.log(`${RUNS} runs each, one worker, page cache off; server times from the site's request log`);
  for (const line of formatTable(header, rows)) console.log(line);
  console.log(`worst server time ${round(worstServer, 1)} ms (target < 50); worst /healthz ${round(worstHealth, 1)} ms (target < 20)`);
  console.log(longRun);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
