import * as cheerio from 'cheerio';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, SEED_ARTICLE_PATH, TEST_NOW, type TestSite } from '../helpers/test-site';

let site: TestSite;
const SEED_URL = `https://news.example${SEED_ARTICLE_PATH}`;
const parser = new XMLParser({
  htmlEntities: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['item', 'entry', 'url', 'sitemap', 'image:image', 'link'].includes(name),
});

/** Parses XML strictly (a malformed document fails the test) into objects. */
function parseXml(text: string) {
  expect(XMLValidator.validate(text)).toBe(true);
  return parser.parse(text);
}

beforeAll(async () => {
  site = await createTestSite();
  const report = await importRecords(site, [
    buildArticleRecord({ slug: 'A-hidden-draft', headline: 'Draft for the sitemap test', status: 'draft' }),
    ...Array.from({ length: 5 }, () => buildArticleRecord({ published_at: '2011-01-01T00:00:00Z' })),
    buildArticleRecord({
      section: 'World/Europe',
      slug: 'Breaking-story',
      headline: 'Breaking: a story from yesterday',
      published_at: new Date(TEST_NOW.getTime() - 20 * 3600_000).toISOString(),
    }),
  ]);
  expect(report.rejected).toEqual([]);
});
afterAll(() => site.close());

describe('feeds', () => {
  test('/feeds lists a feed of each format for all stories and every section, and pages link them', async () => {
    const res = await request(site.app).get('/feeds');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    const links = $('.feeds-table a')
      .map((_, a) => $(a).attr('href'))
      .get();
    expect(links).toEqual(
      expect.arrayContaining([
        '/feeds/all.rss',
        '/feeds/all.atom',
        '/feeds/all.json',
        '/feeds/World.rss',
        '/feeds/World/Asia-Pacific.json',
      ]),
    );
    const article = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
    const alternates = article('link[rel="alternate"]')
      .map((_, l) => `${article(l).attr('type')} ${article(l).attr('href')}`)
      .get();
    expect(alternates).toEqual(
      expect.arrayContaining([
        'application/rss+xml /feeds/all.rss',
        'application/atom+xml /feeds/all.atom',
        'application/feed+json /feeds/all.json',
        'application/rss+xml /feeds/World/Asia-Pacific.rss',
      ]),
    );
  });

  test('RSS 2.0 has the required channel and item elements, full content and media:content', async () => {
    const res = await request(site.app).get('/feeds/all.rss');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/rss\+xml/);
    const rss = parseXml(res.text).rss;
    expect(rss['@version']).toBe('2.0');
    expect(rss.channel.title).toBe('The Monitor');
    expect(rss.channel.link[0]).toBe('https://news.example/');
    expect(rss.channel.description).toBeTruthy();
    // 54 stories are published; a feed holds the 50 newest.
    expect(rss.channel.item).toHaveLength(50);
    const seed = rss.channel.item.find((item: { link: string[] }) => item.link[0] === SEED_URL);
    expect(seed.title).toBe('Is North Korea ready to talk? Moscow meeting may be first step');
    expect(seed.guid).toBe(SEED_URL);
    expect(new Date(seed.pubDate).toISOString()).toMatch(/^2013-06-29/);
    expect(seed['content:encoded']).toContain(
      'United States</a>, <a href="https://news.example/topics/japan">Japan</a>, <a href="https://news.example/topics/russia">Russia</a>',
    );
    expect(seed['media:content']['@url']).toMatch(/^https:\/\/news\.example\/photos\/[0-9a-f]{64}-\d+w\.jpg$/);
    expect(seed['media:content']['@width']).toBe('1200');
    expect(seed['media:content']['media:description']).toMatch(/^North Korea's leader Kim Jong-un \(center\)/);
    expect(rss.channel.item.map((item: { link: string[] }) => item.link[0])).not.toContain(expect.stringContaining('A-hidden-draft'));
  });

  test('Atom 1.0 has id, title, updated, and for each entry id, title, updated, link and content', async () => {
    const res = await request(site.app).get('/feeds/World/Asia-Pacific.atom');
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const feed = parseXml(res.text).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe('https://news.example/World/Asia-Pacific');
    expect(feed.title).toBe('The Monitor: Asia Pacific');
    expect(Date.parse(feed.updated)).not.toBeNaN();
    expect(feed.entry).toHaveLength(7);
    for (const entry of feed.entry) {
      expect(entry.id).toMatch(/^https:\/\/news\.example\/World\/Asia-Pacific\//);
      expect(entry.title).toBeTruthy();
      expect(Date.parse(entry.updated)).not.toBeNaN();
      expect(entry.link[0]['@href']).toBe(entry.id);
      expect(entry.content).toBeTruthy();
    }
  });

  test('JSON Feed 1.1 has version, title, items with id, url and content', async () => {
    const res = await request(site.app).get('/feeds/World.json');
    expect(res.headers['content-type']).toMatch(/^application\/feed\+json/);
    const feed = JSON.parse(res.text);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('The Monitor: World');
    expect(feed.feed_url).toBe('https://news.example/feeds/World.json');
    expect(feed.items.length).toBe(24);
    const seed = feed.items.find((item: { url: string }) => item.url === SEED_URL);
    expect(seed).toMatchObject({
      id: SEED_URL,
      title: 'Is North Korea ready to talk? Moscow meeting may be first step',
      authors: [{ name: 'Reuters' }],
    });
    expect(seed.content_html).toContain('<p>');
    expect(seed.image).toMatch(/\.jpg$/);
  });

  test('feed names match in any case with a 301; unknown feeds are 404', async () => {
    const moved = await request(site.app).get('/feeds/world/asia-pacific.rss');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/feeds/World/Asia-Pacific.rss');
    expect((await request(site.app).get('/feeds/all.xml')).status).toBe(404);
    expect((await request(site.app).get('/feeds/Nowhere.rss')).status).toBe(404);
    expect((await request(site.app).get('/feeds/%E0%A4%A.rss')).status).toBeLessThan(500);
  });
});

describe('sitemaps and robots.txt', () => {
  test('robots.txt names both sitemaps', async () => {
    const res = await request(site.app).get('/robots.txt');
    expect(res.text).toContain('Sitemap: https://news.example/sitemap.xml');
    expect(res.text).toContain('Sitemap: https://news.example/news-sitemap.xml');
  });

  test('the sitemap index points at sitemaps that list every published article and no draft, with photo captions', async () => {
    const index = parseXml((await request(site.app).get('/sitemap.xml')).text).sitemapindex;
    const locations: string[] = index.sitemap.map((s: { loc: string }) => s.loc);
    expect(locations).toEqual(['https://news.example/sitemaps/sections.xml', 'https://news.example/sitemaps/articles-1.xml']);
    const urls = parseXml((await request(site.app).get('/sitemaps/articles-1.xml')).text).urlset.url as {
      loc: string;
      'image:image'?: { 'image:loc': string; 'image:caption': string }[];
    }[];
    expect(urls).toHaveLength(54);
    expect(urls.map((u) => u.loc)).not.toContain(expect.stringContaining('A-hidden-draft'));
    const seed = urls.find((u) => u.loc === SEED_URL)!;
    expect(seed['image:image']![0]!['image:caption']).toMatch(/^North Korea's leader Kim Jong-un \(center\)/);
    const sections = parseXml((await request(site.app).get('/sitemaps/sections.xml')).text).urlset.url;
    expect(sections.map((u: { loc: string }) => u.loc)).toEqual(
      expect.arrayContaining(['https://news.example/', 'https://news.example/World/Asia-Pacific']),
    );
    expect((await request(site.app).get('/sitemaps/articles-2.xml')).status).toBe(404);
    expect((await request(site.app).get('/sitemaps/articles-0.xml')).status).toBe(404);
  });

  test('the news sitemap lists the stories of the last 48 hours in the Google News format', async () => {
    const res = await request(site.app).get('/news-sitemap.xml');
    const urlset = parseXml(res.text).urlset;
    expect(urlset['@xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    expect(urlset.url).toHaveLength(1);
    const news = urlset.url[0]['news:news'];
    expect(urlset.url[0].loc).toMatch(/\/World\/Europe\/2026\/0114\/Breaking-story$/);
    expect(news['news:publication']['news:name']).toBe('The Monitor');
    expect(news['news:publication']['news:language']).toBe('en');
    expect(news['news:title']).toBe('Breaking: a story from yesterday');
    expect(Date.parse(news['news:publication_date'])).not.toBeNaN();
  });
});
