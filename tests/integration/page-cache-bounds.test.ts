import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import request from 'supertest';
import { createTestSite, type TestSite } from '../helpers/test-site';

// A worker must survive any sequence of requests within its memory: the page cache is bounded by
// bytes, and so is what it remembers of pages it has seen once and not kept.

// A real collection before each heap reading, so that the check measures what is kept, not
// garbage that happens not to be collected yet (jest runs without --expose-gc).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

let site: TestSite;
let server: http.Server;
let port: number;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const get = (path: string) =>
  new Promise<number>((resolve, reject) =>
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      })
      .on('error', reject),
  );

beforeAll(async () => {
  site = await createTestSite({ env: { PAGE_CACHE_MB: '1' } });
  server = http.createServer(site.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  await site.close();
});

test('25,000 distinct long URLs keep the page cache within its bytes, and the worker then serves the largest page', async () => {
  const cache = () => site.pageCache;
  // Keys of about 2 KB: unbounded, 25,000 of them would hold ~100 MB. (Fewer, longer keys than
  // before: each search takes a few milliseconds, and the test must finish well inside its time.)
  const filler = 'x'.repeat(2_000);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const statuses = new Map<number, number>();
  let highest = { bytes: 0, seenOnceBytes: 0 };
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < 25_000; i += 8) {
        const status = await get(`/search?q=korea+${i}${filler}`);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (i % 997 === 0) {
          const { bytes, seenOnceBytes } = cache().size;
          highest = { bytes: Math.max(highest.bytes, bytes), seenOnceBytes: Math.max(highest.seenOnceBytes, seenOnceBytes) };
        }
      }
    }),
  );
  expect(Object.fromEntries(statuses)).toEqual({ 200: 25_000 });
  expect(highest.bytes).toBeLessThanOrEqual(cache().limits.bytes);
  expect(highest.seenOnceBytes).toBeLessThanOrEqual(cache().limits.seenOnceBytes);
  expect(cache().size.seenOnceBytes).toBeLessThanOrEqual(cache().limits.seenOnceBytes);
  collectGarbage();
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(40 * 1024 * 1024);

  // The largest pages the site has still come whole.
  for (const path of ['/sitemaps/articles-1.xml', '/feeds/all.rss', '/']) {
    const res = await request(site.app).get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
  }
}, 180_000);
