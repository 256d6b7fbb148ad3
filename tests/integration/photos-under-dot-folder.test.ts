import * as cheerio from 'cheerio';
import request from 'supertest';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

// Operators often keep data under a dot folder (~/.local/share/news/news.db). Only the file name
// a reader sends may be judged as a dotfile, never the folders the operator chose.
let site: TestSite;
beforeAll(async () => {
  site = await createTestSite({ dataUnderDotFolder: true });
}, 120_000);
afterAll(() => site?.close());

/** Every image URL a page offers: src, both srcsets (WebP and JPEG) and the promo's photo. */
function imageUrls(html: string): string[] {
  const $ = cheerio.load(html);
  const urls = new Set<string>();
  $('img[src]').each((_, el) => void urls.add($(el).attr('src')!));
  $('img[srcset], source[srcset]').each((_, el) => {
    for (const candidate of $(el).attr('srcset')!.split(',')) urls.add(candidate.trim().split(/\s+/)[0]!);
  });
  return [...urls].filter((url) => url.startsWith('/photos/'));
}

test('the photo folder really is under a dot folder', () => {
  expect(site.photoStore.dir).toMatch(/\/\.local\/share\/news\/photos$/);
});

test.each([
  ['the seed article', SEED_ARTICLE_PATH],
  ['the front page', '/'],
  ['a results page', '/search?q=korea'],
])('every image URL on %s answers 200 with an image type', async (_, path) => {
  const page = await request(site.app).get(path).expect(200);
  const urls = imageUrls(page.text);
  expect(urls.length).toBeGreaterThanOrEqual(8); // a hero or lead photo in 8 variants at least
  for (const url of urls) {
    const res = await request(site.app).get(url);
    expect({ url, status: res.status }).toEqual({ url, status: 200 });
    expect(res.headers['content-type']).toMatch(/^image\/(jpeg|webp)$/);
  }
});

test('a dotfile name that a reader sends is still refused', async () => {
  await request(site.app).get('/photos/.news.db').expect(404);
  await request(site.app).get('/photos/..%2Fnews.db').expect(404);
});
