import * as cheerio from 'cheerio';
import request from 'supertest';
import { createApp } from '../../src/app';
import { openDatabase } from '../../src/db/open-database';
import { createLogger } from '../../src/logger';
import { createArticleRenderRepository } from '../../src/articles/article-renders-repository';
import { ArticlePages } from '../../src/articles/article-page-assembly';
import { createPageContext } from '../../src/site/page-context';
import { createTemplateRenderer } from '../../src/site/template-renderer';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, SEED_ARTICLE_PATH, TEST_NOW, type TestSite } from '../helpers/test-site';

// Article pages are served from stored renders of their story-dependent parts (migration 0015).
// A stored render must never show a reader anything the database no longer says: every kind of
// edit that changes what a story page shows is made here, and the page must show it at once.

let site: TestSite;
beforeEach(async () => {
  site = await createTestSite();
});
afterEach(() => site.close());

const seedArticleId = () =>
  site.db
    .prepare("SELECT id FROM articles WHERE slug = 'Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'")
    .pluck()
    .get() as number;
const storedRenderCount = (articleId: number) =>
  site.db.prepare('SELECT count(*) FROM article_renders WHERE article_id = ?').pluck().get(articleId) as number;

/** A second worker on the same file: its own connection and in-memory caches. */
function otherWorker(now = () => TEST_NOW) {
  const db = openDatabase(site.config.databasePath);
  return { app: createApp({ db, config: site.config, logger: createLogger(site.config), now }), close: () => db.close() };
}

async function relatedHeadlines(app: TestSite['app'], path = SEED_ARTICLE_PATH): Promise<string[]> {
  const $ = cheerio.load((await request(app).get(path)).text);
  return $('.article__related .story-card__headline a')
    .map((_, a) => $(a).text())
    .get();
}

test('the first visit stores the story’s render; another worker serves the same bytes from it', async () => {
  const first = await request(site.app).get(SEED_ARTICLE_PATH);
  expect(first.status).toBe(200);
  expect(storedRenderCount(seedArticleId())).toBe(1);

  // Tamper with the stored render: the other worker must be reading it, not rendering anew. (Only
  // the plain HTML is changed, not its compressed pieces, so this asks for the plain bytes.)
  site.db.prepare("UPDATE article_renders SET main_html = CAST(replace(main_html, 'Moscow', 'MOSCOW-FROM-STORE') AS BLOB)").run();
  const worker = otherWorker();
  try {
    const fromStore = await request(worker.app).get(SEED_ARTICLE_PATH).set('Accept-Encoding', 'identity');
    expect(fromStore.status).toBe(200);
    expect(fromStore.text).toContain('MOSCOW-FROM-STORE');
    expect(fromStore.text.replaceAll('MOSCOW-FROM-STORE', 'Moscow')).toBe(first.text);
  } finally {
    worker.close();
  }
});

test('pages joined from a stored render have the same bytes, headers and ETag as the first', async () => {
  const first = await request(site.app).get(SEED_ARTICLE_PATH);
  const worker = otherWorker();
  try {
    const second = await request(worker.app).get(SEED_ARTICLE_PATH);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['surrogate-key']).toBe(first.headers['surrogate-key']);
    expect(second.headers['cache-control']).toBe(first.headers['cache-control']);
    expect((await request(worker.app).get(SEED_ARTICLE_PATH).set('If-None-Match', first.headers.etag!)).status).toBe(304);
  } finally {
    worker.close();
  }
});

test('a render made by other code or templates (another render key) is not served, and is replaced', async () => {
  await request(site.app).get(SEED_ARTICLE_PATH);
  site.db.prepare("UPDATE article_renders SET render_key = 'an-older-deploy', main_html = CAST('STALE' AS BLOB)").run();
  const worker = otherWorker();
  try {
    const page = await request(worker.app).get(SEED_ARTICLE_PATH);
    expect(page.text).not.toContain('STALE');
    expect(page.text).toContain('Moscow');
    expect(site.db.prepare("SELECT count(*) FROM article_renders WHERE render_key = 'an-older-deploy'").pluck().get()).toBe(0);
  } finally {
    worker.close();
  }
});

test('editing the story itself shows at once', async () => {
  await request(site.app).get(SEED_ARTICLE_PATH);
  site.db.prepare('UPDATE articles SET headline = ? WHERE id = ?').run('A headline changed by an editor', seedArticleId());
  const $ = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
  expect($('h1').text()).toBe('A headline changed by an editor');
  expect($('title').text()).toContain('A headline changed by an editor');
});

test('editing or unpublishing a story it links to shows at once', async () => {
  const related = await relatedHeadlines(site.app);
  expect(related.length).toBeGreaterThan(1);
  site.db.prepare('UPDATE articles SET headline = ? WHERE headline = ?').run('A related story, retitled', related[0]);
  expect(await relatedHeadlines(site.app)).toContain('A related story, retitled');

  site.db.prepare("UPDATE articles SET status = 'draft' WHERE headline = ?").run('A related story, retitled');
  expect(await relatedHeadlines(site.app)).not.toContain('A related story, retitled');
  site.db.prepare('DELETE FROM articles WHERE headline = ?').run(related[1]);
  expect(await relatedHeadlines(site.app)).not.toContain(related[1]);
});

test('a new story on the same topics joins the related stories at once', async () => {
  await request(site.app).get(SEED_ARTICLE_PATH);
  const topics = site.db
    .prepare('SELECT t.slug, t.name FROM topics t JOIN article_topics at ON at.topic_id = t.id WHERE at.article_id = ?')
    .all(seedArticleId());
  expect(topics.length).toBeGreaterThan(0);
  await importRecords(site, [buildArticleRecord({ section: 'World', headline: 'A new story on the same topics', topics })]);
  expect(await relatedHeadlines(site.app)).toContain('A new story on the same topics');
});

test('a story scheduled on the same topics joins the related stories when its time comes', async () => {
  let clock = TEST_NOW.getTime();
  const own = await createTestSite({ now: () => new Date(clock), pageCacheTtlMs: 100 });
  try {
    const id = own.db
      .prepare("SELECT id FROM articles WHERE slug = 'Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'")
      .pluck()
      .get();
    const topics = own.db
      .prepare('SELECT t.slug, t.name FROM topics t JOIN article_topics at ON at.topic_id = t.id WHERE at.article_id = ?')
      .all(id);
    await importRecords(own, [
      buildArticleRecord({ headline: 'Scheduled on the same topics', topics, published_at: new Date(clock + 10_000).toISOString() }),
    ]);
    expect(await relatedHeadlines(own.app)).not.toContain('Scheduled on the same topics');
    clock += 20_000;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await relatedHeadlines(own.app)).toContain('Scheduled on the same topics');
  } finally {
    await own.close();
  }
});

test('a changed photo caption, topic name or section name shows at once', async () => {
  await request(site.app).get(SEED_ARTICLE_PATH);
  const heroId = site.db.prepare('SELECT hero_photo_id FROM articles WHERE id = ?').pluck().get(seedArticleId());
  site.db.prepare('UPDATE photos SET caption = ? WHERE id = ?').run('A caption fixed by the photo desk', heroId);
  let $ = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
  expect($('.article__hero figcaption').text()).toContain('A caption fixed by the photo desk');

  const topicId = site.db.prepare('SELECT topic_id FROM article_topics WHERE article_id = ? LIMIT 1').pluck().get(seedArticleId());
  site.db.prepare('UPDATE topics SET name = ? WHERE id = ?').run('A renamed topic', topicId);
  $ = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
  expect($('.article__topics').text()).toContain('A renamed topic');

  site.db.prepare("UPDATE sections SET name = 'Asia and the Pacific' WHERE path = 'World/Asia-Pacific'").run();
  $ = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
  expect($('.breadcrumb').text()).toContain('Asia and the Pacific');
});

test('while another process holds the write lock, the page is still served, and stored on a later visit', async () => {
  const writer = openDatabase(site.config.databasePath);
  try {
    writer.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const page = await request(site.app).get(SEED_ARTICLE_PATH);
    expect(page.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(storedRenderCount(seedArticleId())).toBe(0);
    writer.exec('COMMIT');
  } finally {
    writer.close();
  }
  const worker = otherWorker();
  try {
    expect((await request(worker.app).get(SEED_ARTICLE_PATH)).status).toBe(200);
    expect(storedRenderCount(seedArticleId())).toBe(1);
  } finally {
    worker.close();
  }
});

test('pre-rendering stores every visible story once, and then has nothing left to do', () => {
  const context = createPageContext(site.db, site.config);
  const pages = new ArticlePages(context, createArticleRenderRepository(site.db), createTemplateRenderer({ development: false }), {
    storeRenders: true,
  });
  const now = TEST_NOW.toISOString();
  const visible = context.content.articles.countVisible(now);
  const render = () => pages.renderMissing(now);
  expect(render()).toBe(visible);
  expect(site.db.prepare('SELECT count(*) FROM article_renders').pluck().get()).toBe(visible);
  expect(render()).toBe(0);
});

describe('stored pages answered before the middleware chain', () => {
  const storyPaths = async (app: TestSite['app']) => {
    const $ = cheerio.load((await request(app).get('/World')).text);
    return $('.story-card__headline a')
      .map((_, a) => $(a).attr('href')!)
      .get()
      .filter((href) => /\/\d{4}\/\d{4}\//.test(href));
  };
  // supertest asks for gzip by default, which the early path answers too (tests/integration/front-door.test.ts).
  const identity = (app: TestSite['app'], path: string) => request(app).get(path).set('Accept-Encoding', 'identity');
  const comparable = (headers: Record<string, string>) => {
    const { date, 'x-request-id': requestId, ...rest } = headers;
    expect(date).toBeDefined();
    expect(requestId).toBeDefined();
    return rest;
  };

  test('carry the same headers and bytes as the normal path, and leave brotli-only requests to it', async () => {
    const [first, second] = await storyPaths(site.app);
    // Render and store the story; the first answer is the router's.
    await identity(site.app, first!);
    const normal = await identity(site.app, second!);
    const pageSpy = jest.spyOn(ArticlePages.prototype, 'page');
    try {
      const early = await identity(site.app, second!);
      expect(pageSpy).not.toHaveBeenCalled();
      expect(early.status).toBe(200);
      expect(early.text).toBe(normal.text);
      expect(comparable(early.headers)).toEqual(comparable(normal.headers));
      expect(early.headers['content-security-policy']).toContain("script-src 'self'");

      const brotli = await request(site.app).get(first!).set('Accept-Encoding', 'br');
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(pageSpy).toHaveBeenCalledTimes(1);
    } finally {
      pageSpy.mockRestore();
    }
  });

  test("send HSTS over HTTPS only, as the normal path does, from a worker's very first story", async () => {
    const own = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
    try {
      const [first, second, third] = await storyPaths(own.app);
      const pageSpy = jest.spyOn(ArticlePages.prototype, 'page');
      for (const path of [first, second, third]) await identity(own.app, path!);
      expect(pageSpy).toHaveBeenCalledTimes(3);
      const overHttp = await identity(own.app, second!);
      expect(overHttp.headers['strict-transport-security']).toBeUndefined();
      // Every one over HTTPS is answered early, with HSTS: the headers come from one function,
      // not from an earlier response over the same scheme.
      for (const path of [first, second, third]) {
        const response = await identity(own.app, path!).set('X-Forwarded-Proto', 'https');
        expect(response.status).toBe(200);
        expect(response.headers['strict-transport-security']).toContain('max-age=');
      }
      expect(pageSpy).toHaveBeenCalledTimes(3);
      pageSpy.mockRestore();
    } finally {
      await own.close();
    }
  });

  test('redirect, 404 and too-long addresses still get the normal path’s answers', async () => {
    const [first] = await storyPaths(site.app);
    await identity(site.app, first!);
    const lower = await identity(site.app, first!.toLowerCase());
    expect(lower.status).toBe(301);
    expect(lower.headers.location).toBe(first);
    expect((await identity(site.app, '/World/2013/0101/No-such-story')).status).toBe(404);
    expect((await identity(site.app, `${first}?q=${'x'.repeat(5000)}`)).status).toBe(414);
  });
});
