import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSearchRefusal } from '../../src/search/search-refusal';
import type { PageCacheDeps } from '../../src/delivery/cached-pages';
import { capturedLog } from '../helpers/captured-log';

// How long a connection that was refused a search waits before its next request is read: the
// first pause after one refusal, doubling with each refusal in a row, up to the longest pause. The
// refusals here come from the front door's own code over real sockets, with search threads that
// are always full: what is under test is the pacing of the connections, not the threads.
//
// A wait is timed on the server, from the moment a refusal has gone out to the moment the next
// request on that connection is read: the client here shares jest's event loop, and one that gets
// to the refusal late sends its next request late, so its own clock would see a pause shorter
// than the server kept (127 ms of a 150 ms pause, once, in the whole in-band run).

const FIRST_MS = 150;
const LONGEST_MS = 500;

let server: http.Server;
let url: string;
/** On the server, by connection: when each request was read, and when each refusal had gone out. */
const readAt = new Map<Socket, number[]>();
const refusedAt = new Map<Socket, number[]>();
const times = (map: Map<Socket, number[]>, socket: Socket) => map.get(socket) ?? (map.set(socket, []), map.get(socket)!);
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
    const socket = req.socket;
    times(readAt, socket).push(performance.now());
    if (refusal.answerAtFrontDoor(request, 'test')) {
      res.once('finish', () => times(refusedAt, socket).push(performance.now()));
      return;
    }
    res.end('a page'); // anything else: answered at once
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  readAt.clear();
  refusedAt.clear();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The server's waits on the one connection refused in this test: from each refusal to the next request read. */
function serverWaits(): number[] {
  expect(refusedAt.size).toBe(1);
  const [socket, refusals] = [...refusedAt][0]!;
  const read = readAt.get(socket)!;
  return refusals.map((refused, i) => read[i + 1]! - refused);
}

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
    const waited = serverWaits();
    const expected = [FIRST_MS, FIRST_MS * 2, LONGEST_MS, LONGEST_MS, LONGEST_MS];
    expect(waited).toHaveLength(expected.length);
    for (const [i, ms] of waited.entries()) {
      // A timer may fire up to a millisecond early (Node rounds its start down).
      expect(ms).toBeGreaterThanOrEqual(expected[i]! - 1);
      expect(ms).toBeLessThan(expected[i]! + 120);
    }
    // The client saw them too: the first search was answered at once, the page after the pauses.
    expect(searches[0]!.ms).toBeLessThan(FIRST_MS);
    expect(page.ms).toBeGreaterThan(LONGEST_MS / 2);
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
    await timedGet(agent, '/World');
    const waited = serverWaits();
    expect(waited).toHaveLength(3);
    expect(waited[2]).toBeGreaterThanOrEqual(FIRST_MS - 1);
    expect(waited[2]).toBeLessThan(FIRST_MS * 2);
    // Another connection is never held by this one's refusals.
    expect((await timedGet(other, '/World')).ms).toBeLessThan(FIRST_MS / 2);
  } finally {
    agent.destroy();
    other.destroy();
  }
});
