import fs from 'node:fs';
import http from 'node:http';
import * as cheerio from 'cheerio';
import { startBuiltServerInTempDir, type ChildServer } from '../helpers/child-server';
import { SEARCH_THREAD_NICE } from '../../src/search/search-threads';

// Past the search threads' capacity a search is refused with a 503 in the site's layout, most of
// them by the front door before Express (search-refusal.ts). A refusal there must be the same
// answer the router would give, and must never swallow what is not a runnable search: bad input
// keeps its 400, and pages, feeds and the sign-up form are never refused. The connection a search
// was refused on is read again only after a pause (a second here, 15 ms by default).
const PAUSE_MS = 1000;
let server: ChildServer;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ server, stop } = await startBuiltServerInTempDir({
    SEARCH_THREADS: '1',
    SEARCH_QUEUE: '0',
    PAGE_CACHE_MB: '0',
    SEARCH_REFUSAL_PAUSE_MS: String(PAUSE_MS),
  }));
}, 60_000);
afterAll(async () => {
  await stop?.();
});

/** Many distinct searches at once, far past one thread's share; none can come from a cache. */
function burst(label: string, count: number, method = 'GET'): Promise<Response>[] {
  return Array.from({ length: count }, (_, i) => fetch(`${server.url}/search?q=korea+talks+${label}${i}`, { method }));
}

test('a refused search has every header of a page, Retry-After and no-store, and a HEAD gets no body', async () => {
  // The first refusal renders the page (router) and keeps it; the later ones come from the front door.
  const gets = [...burst('a', 150), ...burst('b', 150)];
  const heads = burst('h', 50, 'HEAD');
  const answers = await Promise.all([...gets, ...heads]);
  expect(answers.every((res) => res.status === 200 || res.status === 503)).toBe(true);
  const refusedGets = (await Promise.all(gets)).filter((res) => res.status === 503);
  expect(refusedGets.length).toBeGreaterThan(100);

  const bodies = await Promise.all(refusedGets.map((res) => res.text()));
  const requestIds = new Set<string>();
  for (const [i, res] of refusedGets.entries()) {
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // The front door's refusals say their length; the router's first one may be compressed.
    const length = res.headers.get('content-length');
    if (length !== null && res.headers.get('content-encoding') === null) expect(Number(length)).toBe(Buffer.byteLength(bodies[i]!));
    requestIds.add(res.headers.get('x-request-id') ?? '');
    const $ = cheerio.load(bodies[i]!);
    expect($('h1').text()).toMatch(/unavailable/i);
    expect($('main').text()).toMatch(/try again in a few seconds/i);
    expect($('input[type="search"]').length).toBeGreaterThan(0); // in the site's layout
  }
  // Every refusal names its own request, as the logs do.
  expect(requestIds.has('')).toBe(false);
  expect(requestIds.size).toBe(refusedGets.length);

  const refusedHeads = (await Promise.all(heads)).filter((res) => res.status === 503);
  expect(refusedHeads.length).toBeGreaterThan(0); // sent behind 300 searches: the threads are full
  for (const res of refusedHeads) {
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.text()).toBe('');
  }
}, 60_000);

test('under the same burst, bad input keeps its 400, a search without words its form, and pages are never refused', async () => {
  const before = burst('c', 200);
  const others = [
    fetch(`${server.url}/search?q[]=korea`, { redirect: 'manual' }), // a parameter /search does not read: to its own address
    fetch(`${server.url}/search?q=korea&q=talks`),
    fetch(`${server.url}/search?q=korea&sort=oldest`),
    fetch(`${server.url}/search?q=korea&from=2013-02-31`),
    fetch(`${server.url}/search?q=korea&section=Nowhere`),
    fetch(`${server.url}/search?q=korea&page=0`),
    fetch(`${server.url}/search?q=+`),
    fetch(`${server.url}/search`),
    fetch(`${server.url}/World`),
    fetch(`${server.url}/`),
    fetch(`${server.url}/feeds/all.rss`),
    fetch(`${server.url}/subscribe`),
  ];
  const after = burst('d', 200);
  const statuses = (await Promise.all(others)).map((res) => res.status);
  // The threads were full all through: searches on both sides of these were refused.
  expect((await Promise.all(before)).some((res) => res.status === 503)).toBe(true);
  expect((await Promise.all(after)).some((res) => res.status === 503)).toBe(true);
  expect(statuses).toEqual([301, 400, 400, 400, 400, 400, 200, 200, 200, 200, 200, 200]);
}, 60_000);

/** A GET through `agent` (false: a connection of its own): its status, time and whether it reused a connection. */
function timedGet(agent: http.Agent | false, path: string): Promise<{ status: number; ms: number; reused: boolean }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.url}${path}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, ms: performance.now() - started, reused: request.reusedSocket }));
    });
    request.on('error', reject);
  });
}

test('a connection that was refused a search is read again only after a pause; other connections are not held', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // A search of its own sent amid a burst on other connections, until one is refused; at once
    // then, the next request on that connection (a page) and the same page on a new connection.
    type Timed = Awaited<ReturnType<typeof timedGet>>;
    let pages: [Timed, Timed] | null = null;
    for (let i = 0; i < 20 && !pages; i += 1) {
      const before = burst(`p${i}a`, 100);
      const mine = timedGet(agent, `/search?q=korea+talks+own${i}`).then((answer) =>
        answer.status === 503 ? Promise.all([timedGet(agent, '/World'), timedGet(false, '/World')]) : null,
      );
      const after = burst(`p${i}b`, 100);
      await Promise.all([...before, ...after]);
      pages = await mine;
    }
    expect(pages).not.toBeNull();
    const [paused, fresh] = pages!;
    expect(paused).toMatchObject({ status: 200, reused: true });
    expect(paused.ms).toBeGreaterThanOrEqual(PAUSE_MS * 0.9);
    expect(fresh).toMatchObject({ status: 200, reused: false });
    expect(fresh.ms).toBeLessThan(paused.ms);
  } finally {
    agent.destroy();
  }
}, 60_000);

test('search threads run at a lower priority than the thread serving pages (Linux)', () => {
  const pid = server.child.pid!;
  const tasks = `/proc/${pid}/task`;
  if (!fs.existsSync(tasks)) return; // not Linux: threads' priorities are left alone there
  // Field 19 of /proc/PID/task/TID/stat is the nice value; fields count after the command's ")".
  const niceOf = (tid: string) => Number(fs.readFileSync(`${tasks}/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
  const nices = fs.readdirSync(tasks).map((tid) => ({ tid, nice: niceOf(tid) }));
  expect(niceOf(String(pid))).toBe(0); // the main thread: pages, feeds, sign-ups
  expect(SEARCH_THREAD_NICE).toBeGreaterThan(0);
  expect(nices.filter(({ nice }) => nice === SEARCH_THREAD_NICE)).toHaveLength(1); // SEARCH_THREADS=1
  expect(nices.filter(({ nice }) => nice !== 0 && nice !== SEARCH_THREAD_NICE)).toEqual([]);
});
