import Database from 'better-sqlite3';
import path from 'node:path';
import { freePort, startBuiltServerInTempDir } from '../helpers/child-server';
import { edgeRequest, startEdgeNode, type EdgeNode } from '../helpers/edge-node';

// The cache tier for real: varnishd (deploy/varnish/site.vcl, started by `npm run edge`) in front
// of the built server, which purges it after every change. Needs varnish and varnish-modules
// (.ci/run installs them).

const ARTICLE = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';
const SECRET = 'a-test-purge-secret-of-some-length';
const BROWSER = { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'edge test' };

let edge: EdgeNode;
let site: Awaited<ReturnType<typeof startBuiltServerInTempDir>>;
let originStopped = false;

beforeAll(async () => {
  const edgePort = await freePort();
  site = await startBuiltServerInTempDir({
    CACHE_PURGE_URLS: `http://127.0.0.1:${edgePort}`,
    CACHE_PURGE_SECRET: SECRET,
    TRUST_PROXY: 'loopback',
  });
  edge = await startEdgeNode({ port: edgePort, origin: new URL(site.server.url).host, secret: SECRET, graceSeconds: 600 });
}, 120_000);

afterAll(async () => {
  await edge?.stop();
  if (!originStopped) await site?.stop();
});

const get = (pathname: string, headers: Record<string, string> = {}) =>
  edgeRequest(`${edge.url}${pathname}`, { headers: { ...BROWSER, ...headers } });

test('the second request for an article is a hit, for any way a browser lists its encodings', async () => {
  const first = await get(ARTICLE);
  expect(first.status).toBe(200);
  const second = await get(ARTICLE, { 'accept-encoding': 'br, gzip' });
  expect(second.headers['x-cache']).toBe('HIT');
  expect(second.headers['content-encoding']).toBe('br');
  // Purge bookkeeping stays inside Varnish.
  expect(second.headers['xkey']).toBeUndefined();
  expect(second.headers['surrogate-key']).toBeUndefined();
  // Each reader's answer has its own request id, this node's, not the one of the request that filled the cache.
  expect(second.headers['x-request-id']).toMatch(/^varnish-\d+$/);
  expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
});

test('a change to a story is visible through Varnish within a second of its commit', async () => {
  await get(ARTICLE);
  expect((await get(ARTICLE)).headers['x-cache']).toBe('HIT');
  const db = new Database(path.join(site.dir, 'news.db'));
  const headline = `Talks resume in Moscow, edition ${Date.now()}`;
  let committed: number;
  try {
    db.prepare('UPDATE articles SET headline = ? WHERE id = (SELECT min(id) FROM articles)').run(headline);
    committed = Date.now();
  } finally {
    db.close();
  }
  let seenAfter = Infinity;
  while (Date.now() - committed < 3000) {
    const page = await get(ARTICLE, { 'accept-encoding': 'identity' });
    if (page.body.includes(headline)) {
      seenAfter = Date.now() - committed;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(seenAfter).toBeLessThan(1000);
  // The front lists the story under its new headline too (it carries the story's key).
  await expect(get('/', { 'accept-encoding': 'identity' }).then((page) => page.body)).resolves.toContain(headline);
});

test('a purge from an address outside the ACL, or without the secret, is refused', async () => {
  await get(ARTICLE);
  const purge = (headers: Record<string, string>, localAddress?: string) =>
    edgeRequest(`${edge.url}/`, { method: 'PURGE', headers: { 'xkey-softpurge': 'article-1', ...headers }, localAddress });
  const stranger = await purge({ 'x-purge-secret': SECRET }, '127.0.0.2');
  expect(stranger.status).toBe(403);
  expect(stranger.body).toContain('not from an allowed address');
  const noSecret = await purge({});
  expect(noSecret.status).toBe(403);
  const wrongSecret = await purge({ 'x-purge-secret': `${SECRET}x` });
  expect(wrongSecret.status).toBe(403);
  expect((await get(ARTICLE)).headers['x-cache']).toBe('HIT');
  // The origin's own, with the secret, is accepted.
  expect((await purge({ 'x-purge-secret': SECRET })).status).toBe(200);
});

test("one reader's cookies and tokens never reach another reader", async () => {
  // The sign-up page sets each reader's form nonce: never cached, a new one each time.
  const alice = await get('/subscribe');
  const bob = await get('/subscribe');
  expect(alice.headers['x-cache']).toBe('PASS');
  expect(bob.headers['x-cache']).toBe('PASS');
  const nonce = (answer: typeof alice) => String(answer.headers['set-cookie'] ?? '');
  expect(nonce(alice)).not.toBe('');
  expect(nonce(alice)).not.toBe(nonce(bob));
  expect(alice.headers['cache-control']).toMatch(/no-store|private/);
  // The site (TRUST_PROXY=loopback) took Varnish's id for the request it answered.
  expect(alice.headers['x-request-id']).toMatch(/^varnish-\d+$/);
  expect((await get('/subscribe', { 'x-request-id': 'chosen-by-reader' })).headers['x-request-id']).toMatch(/^varnish-\d+$/);

  // A reader's cookie neither splits the cache nor changes the shared page; no shared page sets one.
  const plain = await get(ARTICLE, { 'accept-encoding': 'identity' });
  const withCookie = await get(ARTICLE, { 'accept-encoding': 'identity', cookie: nonce(alice).split(';')[0]! });
  expect(withCookie.headers['x-cache']).toBe('HIT');
  expect(withCookie.body).toBe(plain.body);
  for (const answer of [plain, withCookie, await get('/', { cookie: 'session=alice' })]) {
    expect(answer.headers['set-cookie']).toBeUndefined();
  }
});

test('the newsroom is never cached', async () => {
  for (const pathname of ['/admin', '/admin/login', '/admin']) {
    const answer = await get(pathname);
    expect(answer.headers['x-cache']).toBe('PASS');
  }
});

test('with the origin stopped, cached pages are still served and a sign-up gets a 503 page in the site layout', async () => {
  const front = await get('/');
  expect(front.status).toBe(200);
  // A soft purge just before the origin goes: the stale copy is served within grace.
  const db = new Database(path.join(site.dir, 'news.db'));
  db.prepare("UPDATE promos SET headline = headline || ' ' WHERE id = (SELECT min(id) FROM promos)").run();
  db.close();
  await new Promise((resolve) => setTimeout(resolve, 600));
  await site.stop();
  originStopped = true;
  await new Promise((resolve) => setTimeout(resolve, 3500)); // the probe sees it down

  const article = await get(ARTICLE);
  expect(article.status).toBe(200);
  expect(article.headers['x-cache']).toBe('HIT');
  expect((await get('/')).status).toBe(200);

  const signup = await edgeRequest(`${edge.url}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: edge.url },
    body: 'email=reader%40example.com&plan=digital&consent=yes',
  });
  expect(signup.status).toBe(503);
  expect(signup.headers['retry-after']).toBe('30');
  expect(signup.headers['cache-control']).toBe('no-store');
  expect(signup.body).toContain('Nothing you sent was received');
  // The site's own layout: its navigation and search box, as on every page.
  expect(signup.body).toContain(`aria-label="Sections"`);
  expect(signup.body).toContain('role="search"');
}, 30_000);
