import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSearchRefusal } from '../../src/search/search-refusal';
import type { PageCacheDeps } from '../../src/delivery/cached-pages';
import { capturedLog } from '../helpers/captured-log';

// How long a connection that was refused a search waits before its next request is read: the
// first pause after one refusal, doubling with each refusal in a row, up to the longest pause. The
// refusals here come from the front door's own code over real sockets, with search threads that
// are always full: what is under test is the pacing of the connections, not the threads.

const FIRST_MS = 150;
const LONGEST_MS = 500;

let server: http.Server;
let url: string;
beforeAll(async () => {
  const refusal = createSearchRefusal({
    searchThreads: { full: true },
    pageCache: { version: () => ({ version: 1 }) } as unknown as PageCacheDeps,
    knowsSection: () => true,
    logger: capturedLog().logger,
    now: () => '2026-12-07T03:00:00.000Z',
    pauseMs: FIRST_MS,
    maxPauseMs: LONGEST_MS,
  });
  refusal.keep(refusal.keyFor(1), '<!doctype html><title>Busy</title><p>Search is very busy just now.');
  server = http.createServer((req, res) => {
    const requestUrl = req.url ?? '/';
    const request = { req, res, url: requestUrl, path: requestUrl.split('?')[0]!, secure: false };
    if (refusal.answerAtFrontDoor(request, 'test')) return;
    res.end('a page'); // anything else: answered at once
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A GET through `agent`: its status, and how long it took. */
function timedGet(agent: http.Agent, path: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(`${url}${path}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, ms: performance.now() - started }));
      })
      .on('error', reject);
  });
}

test('each refusal in a row on a connection doubles the wait for its next request, up to the longest pause', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const searches = [];
    for (let i = 0; i < 5; i += 1) searches.push(await timedGet(agent, `/search?q=korea+${i}`));
    const page = await timedGet(agent, '/World');
    expect(searches.map((answer) => answer.status)).toEqual([503, 503, 503, 503, 503]);
    expect(page.status).toBe(200);
    // Each request waited for the pause after the refusal before it: none, then 150, 300, 500, 500.
    const waited = [...searches.slice(1), page].map((answer) => answer.ms);
    const expected = [FIRST_MS, FIRST_MS * 2, LONGEST_MS, LONGEST_MS, LONGEST_MS];
    for (const [i, ms] of waited.entries()) {
      expect(ms).toBeGreaterThanOrEqual(expected[i]! * 0.9);
      expect(ms).toBeLessThan(expected[i]! + 120);
    }
    expect(searches[0]!.ms).toBeLessThan(FIRST_MS);
  } finally {
    agent.destroy();
  }
});

test('a connection refused once, long after its last refusal, waits only the first pause; others wait not at all', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const other = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    expect((await timedGet(agent, '/search?q=talks+1')).status).toBe(503);
    expect((await timedGet(agent, '/search?q=talks+2')).status).toBe(503);
    // Past the second pause and a second more: the next refusal starts a new row.
    await new Promise((resolve) => setTimeout(resolve, FIRST_MS * 2 + 1_100));
    expect((await timedGet(agent, '/search?q=talks+3')).status).toBe(503);
    const next = await timedGet(agent, '/World');
    expect(next.ms).toBeGreaterThanOrEqual(FIRST_MS * 0.9);
    expect(next.ms).toBeLessThan(FIRST_MS * 2);
    // Another connection is never held by this one's refusals.
    expect((await timedGet(other, '/World')).ms).toBeLessThan(FIRST_MS / 2);
  } finally {
    agent.destroy();
    other.destroy();
  }
});
