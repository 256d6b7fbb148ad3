import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createContentVersionRepository } from '../../src/delivery/content-version-repository';
import { CachePurger } from '../../src/edge/cache-purger';
import { startEdgeSync, type EdgeSync } from '../../src/edge/edge-sync';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { capturedLog } from '../helpers/captured-log';
import { createTestSite, TEST_NOW, type TestSite } from '../helpers/test-site';

// Which keys the site purges after each kind of change, and that they are the keys the affected
// pages carry. The cache node here is a loopback HTTP server that records what it is sent (and can
// be told to fail); edge-varnish.test.ts runs the same purges against a real varnishd.

type Received = { keys: string[]; secret: string | undefined };

let site: TestSite;
let clock: Date;
let node: http.Server;
let nodeUrl: string;
let received: Received[] = [];
let failuresToSend = 0;
const log = capturedLog('info');
let sync: EdgeSync;

beforeAll(async () => {
  clock = new Date(TEST_NOW);
  site = await createTestSite({ now: () => clock });
  node = http.createServer((req, res) => {
    if (failuresToSend > 0) {
      failuresToSend -= 1;
      res.writeHead(503).end();
      return;
    }
    received.push({ keys: String(req.headers['xkey-softpurge'] ?? '').split(' '), secret: req.headers['x-purge-secret'] as string });
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  nodeUrl = `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
  const purger = new CachePurger({ nodes: [nodeUrl], secret: 'a-shared-secret-value', logger: log.logger, sleep: () => Promise.resolve() });
  // A long interval: each test runs the passes itself.
  sync = startEdgeSync({ db: site.db, purger, logger: log.logger, now: () => clock, intervalMs: 3_600_000 });
  await sync.tick(); // what seeding queued
});

afterAll(async () => {
  await sync.stop();
  await new Promise((resolve) => node.close(resolve));
  await site.close();
});

beforeEach(async () => {
  await sync.tick();
  received = [];
});

const purgedKeys = (): string[] => [...new Set(received.flatMap((purge) => purge.keys))].sort();
const surrogateKeys = async (pathname: string): Promise<string[]> =>
  String((await request(site.app).get(pathname)).headers['surrogate-key'] ?? '').split(' ');

test('an edit to a published story purges that story and nothing else, with the secret', async () => {
  const id = site.db.prepare<[], number>("SELECT min(id) FROM articles WHERE status = 'published'").pluck().get()!;
  site.db.prepare("UPDATE articles SET deck = deck || ' (updated)' WHERE id = ?").run(id);
  await sync.tick();
  expect(purgedKeys()).toEqual([`article-${id}`]);
  expect(received[0]!.secret).toBe('a-shared-secret-value');
  // Its own page and the front that lists it carry that key.
  const storyPath = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';
  expect(await surrogateKeys(storyPath)).toContain(`article-${id}`);
});

test('a scheduled story is purged into the lists it joins when its time comes, not before', async () => {
  const due = new Date(clock.getTime() + 10 * 60_000);
  await importRecords(site, [buildArticleRecord({ section: 'Science', slug: 'Scheduled-story', published_at: due.toISOString() })]);
  const id = site.db.prepare<[], number>("SELECT id FROM articles WHERE slug = 'Scheduled-story'").pluck().get()!;
  await sync.tick();
  received = [];

  // Its time has not come: nothing to announce.
  const version = createContentVersionRepository(site.db).current;
  const before = version().version;
  clock = new Date(due.getTime() - 1000);
  await sync.tick();
  expect(received).toEqual([]);

  clock = new Date(due.getTime() + 1000);
  await sync.tick();
  expect(version().version).toBeGreaterThan(before); // each worker's page cache drops its pages too
  const keys = purgedKeys();
  expect(keys).toEqual(expect.arrayContaining([`article-${id}`, 'front', 'search', 'sitemaps', 'not-found']));
  // Every list the story now appears on carries one of the purged keys.
  for (const pathname of ['/', '/Science', '/search?q=test+story', '/feeds/all.rss', '/feeds/Science.atom']) {
    const carried = await surrogateKeys(pathname);
    expect({ pathname, purged: carried.some((key) => keys.includes(key)) }).toEqual({ pathname, purged: true });
  }
  await expect(
    request(site.app)
      .get('/')
      .then((res) => res.text),
  ).resolves.toContain('Scheduled-story');

  // Announced once: later passes send nothing more for it.
  received = [];
  clock = new Date(due.getTime() + 60_000);
  await sync.tick();
  expect(received).toEqual([]);
});

test('promo, offer and section changes purge the layout parts every page carries', async () => {
  site.db.prepare("UPDATE promos SET headline = headline || '!' WHERE id = (SELECT min(id) FROM promos)").run();
  site.db.prepare("UPDATE offers SET pitch = pitch || '!' WHERE id = (SELECT min(id) FROM offers)").run();
  await sync.tick();
  expect(purgedKeys()).toEqual(['offer', 'promo']);
  const onArticle = await surrogateKeys('/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step');
  expect(onArticle).toEqual(expect.arrayContaining(['offer', 'promo', 'sections']));

  received = [];
  site.db.prepare('UPDATE sections SET name = name WHERE id = (SELECT min(id) FROM sections)').run();
  await sync.tick();
  expect(purgedKeys()).toEqual(['feeds', 'sections', 'sitemaps']);
});

test('an unpublished story is purged; a change that rolled back purges nothing', async () => {
  const id = site.db.prepare<[], number>("SELECT max(id) FROM articles WHERE status = 'published'").pluck().get()!;
  expect(() =>
    site.db.transaction(() => {
      site.db.prepare("UPDATE articles SET headline = 'Never seen' WHERE id = ?").run(id);
      throw new Error('editor cancelled');
    })(),
  ).toThrow('editor cancelled');
  await sync.tick();
  expect(received).toEqual([]);

  site.db.prepare("UPDATE articles SET status = 'draft' WHERE id = ?").run(id);
  await sync.tick();
  expect(purgedKeys()).toEqual([`article-${id}`]);
});

test('a node that fails is retried; one that stays down is logged, and the queue moves on', async () => {
  failuresToSend = 2;
  site.db.prepare("UPDATE promos SET headline = headline || '?' WHERE id = (SELECT min(id) FROM promos)").run();
  await sync.tick();
  expect(purgedKeys()).toEqual(['promo']);

  received = [];
  failuresToSend = 100;
  log.lines.length = 0;
  site.db.prepare("UPDATE offers SET pitch = pitch || '?' WHERE id = (SELECT min(id) FROM offers)").run();
  await sync.tick();
  failuresToSend = 0;
  expect(received).toEqual([]);
  expect(log.text()).toContain('cache purge failed');
  expect(log.text()).not.toContain('a-shared-secret-value');
  expect(site.db.prepare<[], number>('SELECT count(*) FROM cache_purges').pluck().get()).toBe(0);
});
