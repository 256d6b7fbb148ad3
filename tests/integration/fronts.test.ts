import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, type TestSite } from '../helpers/test-site';

let site: TestSite;
const headlinesOf = (html: string) => {
  const $ = cheerio.load(html);
  return $('.story-list .story-card__headline a')
    .map((_, a) => $(a).text())
    .get();
};
const datesOf = (html: string) => {
  const $ = cheerio.load(html);
  return $('.story-list .story-card time')
    .map((_, t) => $(t).attr('datetime')!)
    .get();
};

beforeAll(async () => {
  site = await createTestSite();
});
afterAll(() => site.close());

describe('the front page', () => {
  test('shows top stories newest first, latest by section, the promo and the offer panel', async () => {
    const res = await request(site.app).get('/');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Top stories');
    const dates = datesOf(res.text);
    expect(dates).toHaveLength(20);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(headlinesOf(res.text)[0]).toBe('Russia hosts Korean envoy as hopes grow for resumed talks');
    expect(
      $('.by-section__group h3 a')
        .map((_, a) => $(a).text())
        .get(),
    ).toEqual(expect.arrayContaining(['World', 'USA', 'Business', 'Science', 'Environment', 'The Culture']));
    expect($('.sidebar .promo__series').text()).toBe('Doing Good');
    expect($('.sidebar .offer-panel form').attr('action')).toBe('/subscribe');
    expect($('#site-navigation a[aria-current]')).toHaveLength(0);
  });

  test('pages through all 48 stories, 20 a page, with previous and next links', async () => {
    const first = cheerio.load((await request(site.app).get('/')).text);
    expect(first('a[rel="prev"]')).toHaveLength(0);
    expect(first('a[rel="next"]').attr('href')).toBe('/?page=2');
    const second = await request(site.app).get('/?page=2');
    const $ = cheerio.load(second.text);
    expect($('a[rel="prev"]').attr('href')).toBe('/');
    expect($('a[rel="next"]').attr('href')).toBe('/?page=3');
    const third = await request(site.app).get('/?page=3');
    expect(headlinesOf(third.text)).toHaveLength(8);
    expect(cheerio.load(third.text)('a[rel="next"]')).toHaveLength(0);
    const all = [first, $, cheerio.load(third.text)].flatMap((page) =>
      page('.story-list .story-card__headline a')
        .map((_, a) => page(a).attr('href')!)
        .get(),
    );
    expect(new Set(all).size).toBe(48);
    expect((await request(site.app).get('/?page=4')).status).toBe(404);
  });
});

describe('section fronts', () => {
  test('a top-level front lists its subsections’ stories too, newest first', async () => {
    const res = await request(site.app).get('/World');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('World');
    expect($('#site-navigation a[aria-current="page"]').text()).toBe('World');
    expect(
      $('.subsections a')
        .map((_, a) => $(a).text())
        .get(),
    ).toEqual(['Asia Pacific', 'Europe', 'Americas', 'Middle East', 'Africa']);
    const sections = $('.story-list .story-card__meta a')
      .map((_, a) => $(a).text())
      .get();
    expect(new Set(sections)).toEqual(new Set(['Asia Pacific', 'Europe', 'Americas', 'Middle East', 'Africa']));
    const dates = datesOf(res.text);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect($('a[rel="next"]').attr('href')).toBe('/World?page=2');
    const jsonLd = $('script[type="application/ld+json"]').text();
    expect(jsonLd).toContain('"CollectionPage"');
    expect(jsonLd).toContain('"BreadcrumbList"');
  });

  test('a subsection front has a breadcrumb and only its own stories', async () => {
    const res = await request(site.app).get('/World/Asia-Pacific');
    const $ = cheerio.load(res.text);
    expect(
      $('.breadcrumb a')
        .map((_, a) => $(a).text())
        .get(),
    ).toEqual(['World', 'Asia Pacific']);
    expect(headlinesOf(res.text)).toHaveLength(7);
    expect(
      new Set(
        $('.story-list .story-card__meta a')
          .map((_, a) => $(a).text())
          .get(),
      ),
    ).toEqual(new Set(['Asia Pacific']));
    expect($('.pagination')).toHaveLength(0);
  });

  test('new stories appear at the top, and pagination follows the count', async () => {
    const fresh = await createTestSite();
    try {
      const records = Array.from({ length: 25 }, (_, i) =>
        buildArticleRecord({ section: 'Environment', published_at: new Date(Date.UTC(2020, 0, 1 + i)).toISOString() }),
      );
      expect((await importRecords(fresh, records)).rejected).toEqual([]);
      const page1 = await request(fresh.app).get('/Environment');
      expect(headlinesOf(page1.text)[0]).toBe(records[24]!.headline);
      const page2 = await request(fresh.app).get('/Environment?page=2');
      expect(headlinesOf(page2.text)).toHaveLength(25 + 4 - 20);
    } finally {
      await fresh.close();
    }
  });
});

describe('topic pages', () => {
  test('list the stories linked to the topic', async () => {
    const res = await request(site.app).get('/topics/north-korea');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('North Korea');
    expect(headlinesOf(res.text)).toEqual(
      expect.arrayContaining([
        'Is North Korea ready to talk? Moscow meeting may be first step',
        'China presses North Korea to return to six-party talks',
      ]),
    );
    expect(headlinesOf(res.text)).not.toContain('Obama wins a second term after a hard-fought campaign');
  });
});
