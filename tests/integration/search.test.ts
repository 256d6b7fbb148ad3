import * as cheerio from 'cheerio';
import request from 'supertest';
import { createArticleRepository } from '../../src/articles/articles-repository';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, type TestSite } from '../helpers/test-site';

let site: TestSite;
const search = (query: string) => request(site.app).get(`/search?${query}`);
const resultHeadlines = (html: string) => {
  const $ = cheerio.load(html);
  return $('.search-result .story-card__headline a')
    .map((_, a) => $(a).text())
    .get();
};

beforeAll(async () => {
  site = await createTestSite();
  const report = await importRecords(site, [
    buildArticleRecord({
      section: 'Science',
      slug: 'Body-zeppelin',
      headline: 'Airships return to the skies',
      published_at: '2015-06-01T00:00:00Z',
      body: ['A new zeppelin flew over the lake.'],
    }),
    buildArticleRecord({
      section: 'Business',
      slug: 'Headline-zeppelin',
      headline: 'Zeppelin maker expands',
      published_at: '2014-03-01T00:00:00Z',
      body: ['The company will hire workers.'],
    }),
    buildArticleRecord({
      // More stretches of other scripts than the JavaScript marker takes (word-marks.ts): highlight() marks it.
      slug: 'Greek-story',
      headline: 'A letter from Athens',
      body: [
        `${Array.from({ length: 80 }, (_, i) => `λέξη${i}`).join(' ')} Η Αθήνα σήμερα. ${Array.from({ length: 80 }, (_, i) => `λόγος${i}`).join(' ')}`,
      ],
    }),
    buildArticleRecord({
      slug: 'Markup-story',
      headline: 'Markup in a story',
      body: ['Editors wrote <script>alert(1)</script> next to the word quokka & friends.'],
    }),
  ]);
  expect(report.rejected).toEqual([]);
});
afterAll(() => site.close());

describe('search results', () => {
  test('show the query in the box, the count, and for each result headline, section, date, thumbnail and snippet', async () => {
    const res = await search('q=korea');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('#search-q').val()).toBe('korea');
    expect($('#search-page-q').val()).toBe('korea');
    expect($('h1').text()).toMatch(/^\d+ results for “korea”$/);
    const first = $('.search-result').first();
    expect(first.find('.story-card__headline a').attr('href')).toMatch(/^\/World\//);
    expect(first.find('.story-card__meta a').text()).not.toBe('');
    expect(first.find('time').attr('datetime')).toMatch(/^\d{4}-/);
    expect(first.find('mark').first().text().toLowerCase()).toBe('korea');
    expect($('.search-result img').length).toBeGreaterThan(0);
    expect(res.headers['cache-control']).toMatch(/^public/);
  });

  test("each result's thumbnail is its own story's hero photo, with its words, and its date is the day it ran", async () => {
    const res = await search('q=korea');
    const $ = cheerio.load(res.text);
    const storyBySlug = site.db.prepare<[string], { published_at: string; sha256: string | null; alt: string | null }>(
      'SELECT a.published_at, p.sha256, p.alt FROM articles a LEFT JOIN photos p ON p.id = a.hero_photo_id WHERE a.slug = ?',
    );
    const results = $('.search-result').toArray();
    expect(results.length).toBeGreaterThan(1);
    let withPhoto = 0;
    for (const result of results) {
      const story = storyBySlug.get($(result).find('.story-card__headline a').attr('href')!.split('/').pop()!)!;
      const day = new Date(story.published_at).toLocaleDateString('en-US', { timeZone: 'UTC', dateStyle: 'long' });
      expect($(result).find('time').text()).toBe(day);
      const img = $(result).find('img');
      if (story.sha256 === null) {
        expect(img.length).toBe(0);
        continue;
      }
      withPhoto += 1;
      expect(img.attr('src')).toContain(story.sha256);
      expect(img.attr('alt')).toBe(story.alt);
    }
    expect(withPhoto).toBeGreaterThan(0);
  });

  test("each result's snippet is words of its own story, not of another that matches", async () => {
    // Several stories have the word; each snippet must be a stretch of that story's own deck or body.
    const res = await search('q=korea');
    const $ = cheerio.load(res.text);
    const storyBySlug = site.db.prepare<[string], { deck: string; body_text: string }>(
      'SELECT deck, body_text FROM articles WHERE slug = ?',
    );
    const words = (text: string) => text.replace(/…/g, ' ').split(/\s+/).filter(Boolean).join(' ');
    const results = $('.search-result').toArray();
    expect(results.length).toBeGreaterThan(2);
    const snippets = new Set<string>();
    for (const result of results) {
      const story = storyBySlug.get($(result).find('.story-card__headline a').attr('href')!.split('/').pop()!)!;
      const snippet = words($(result).find('.search-result__snippet').text());
      expect(snippet).not.toBe('');
      expect(words(`${story.body_text} ${story.deck}`)).toContain(snippet);
      snippets.add(snippet);
    }
    expect(snippets.size).toBe(results.length);
  });

  test('a headline match outranks a body match, even a newer one', async () => {
    expect(resultHeadlines((await search('q=zeppelin')).text)).toEqual(['Zeppelin maker expands', 'Airships return to the skies']);
  });

  test('sort=newest orders by date', async () => {
    expect(resultHeadlines((await search('q=zeppelin&sort=newest')).text)).toEqual([
      'Airships return to the skies',
      'Zeppelin maker expands',
    ]);
  });

  test('stemming, accents and hyphenated names', async () => {
    expect(resultHeadlines((await search('q=negotiators')).text)).toContain(
      'Is North Korea ready to talk? Moscow meeting may be first step',
    );
    const resume = resultHeadlines((await search('q=resume')).text);
    expect(resume).toEqual(
      expect.arrayContaining(['Eurozone youth unemployment reaches a record', 'Libraries reinvent themselves for the digital age']),
    );
    expect(resultHeadlines((await search('q=Kim+Jong+Un')).text)).toContain('Tension on the Korean peninsula: what Kim Jong-un wants');
  });

  test('phrases and exclusion', async () => {
    const phrase = resultHeadlines((await search('q=%22six-party+talks%22')).text);
    expect(phrase).toContain('China presses North Korea to return to six-party talks');
    const all = resultHeadlines((await search('q=korea')).text);
    const excluded = resultHeadlines((await search('q=korea+-moscow')).text);
    expect(excluded.length).toBeGreaterThan(0);
    expect(excluded.length).toBeLessThan(all.length);
    expect(excluded).not.toContain('Is North Korea ready to talk? Moscow meeting may be first step');
  });

  test('filters by section (with its subsections) and by date range', async () => {
    const europe = cheerio.load((await search('q=talks&section=World%2FEurope')).text);
    expect(
      new Set(
        europe('.search-result .story-card__meta a')
          .map((_, a) => europe(a).text())
          .get(),
      ),
    ).toEqual(new Set(['Europe']));
    expect(europe('#search-section option[selected]').val()).toBe('World/Europe');
    const world = cheerio.load((await search('q=talks&section=world')).text);
    expect(world('.search-result').length).toBeGreaterThan(europe('.search-result').length);
    const june = cheerio.load((await search('q=korea&from=2013-06-01&to=2013-06-19')).text);
    const dates = june('.search-result time')
      .map((_, t) => june(t).attr('datetime')!)
      .get();
    expect(dates.length).toBeGreaterThan(0);
    for (const date of dates) expect(date >= '2013-06-01' && date < '2013-06-20').toBe(true);
    expect(dates).toContain('2013-06-19T09:30:00.000Z');
  });

  test('10 results a page with previous and next links that keep the filters', async () => {
    const res = await search('q=the&sort=newest');
    const $ = cheerio.load(res.text);
    expect($('.search-result')).toHaveLength(10);
    const next = $('a[rel="next"]').attr('href')!;
    expect(next).toBe('/search?q=the&sort=newest&page=2');
    const second = cheerio.load((await request(site.app).get(next)).text);
    expect(second('a[rel="prev"]').attr('href')).toBe('/search?q=the&sort=newest');
    const firstIds = $('.search-result h2 a')
      .map((_, a) => $(a).attr('href'))
      .get();
    const secondIds = second('.search-result h2 a')
      .map((_, a) => second(a).attr('href'))
      .get();
    expect(firstIds.filter((href) => secondIds.includes(href))).toEqual([]);
  });

  test('a story in another script has its searched word marked, its case folded as the index folds it', async () => {
    const $ = cheerio.load((await search(`q=${encodeURIComponent('αθήνα')}`)).text);
    expect(resultHeadlines($.html())).toEqual(['A letter from Athens']);
    expect($('.search-result__snippet mark').text()).toBe('Αθήνα');
  });

  test('the snippet escapes the story text and only the marks are markup', async () => {
    const res = await search('q=quokka');
    const $ = cheerio.load(res.text);
    const snippet = $('.search-result__snippet').first();
    expect(snippet.find('mark').text()).toBe('quokka');
    expect(snippet.find('script')).toHaveLength(0);
    expect(snippet.text()).toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('what a reader types is shown as text, never as markup', async () => {
    const res = await search(`q=${encodeURIComponent('<script>alert("x")</script> "korea')}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert("x")</script>');
    expect(cheerio.load(res.text)('#search-q').val()).toBe('<script>alert("x")</script> "korea');
  });

  test("every results page has the site's whole layout, which follows the site at once when it changes", async () => {
    const navOf = (html: string) => {
      const $ = cheerio.load(html);
      return $('#site-navigation a')
        .map((_, a) => $(a).text())
        .get();
    };
    const before = await search('q=korea');
    const other = await search('q=zeppelin');
    const $ = cheerio.load(before.text);
    // Header, navigation, sidebar (promo and offer panel) and footer around the results.
    expect($('header.site-header').length).toBe(1);
    expect($('aside.sidebar').length).toBe(1);
    expect($('footer.site-footer').length).toBe(1);
    expect($('title').text()).toMatch(/^korea - Search - /);
    expect(navOf(before.text)).toContain('World');
    expect(navOf(other.text)).toEqual(navOf(before.text));
    expect(cheerio.load(other.text)('#search-q').val()).toBe('zeppelin');

    site.db.prepare("UPDATE sections SET name = 'World news' WHERE path = 'World'").run();
    try {
      const after = await search('q=korea+peninsula');
      expect(navOf(after.text)).toContain('World news');
      expect(navOf(after.text)).not.toContain('World');
    } finally {
      site.db.prepare("UPDATE sections SET name = 'World' WHERE path = 'World'").run();
    }
  });

  test('a long query is cut with a note, not refused', async () => {
    const res = await search(`q=${encodeURIComponent('korea '.repeat(500))}`);
    expect(res.status).toBe(200);
    expect(cheerio.load(res.text)('.search-page__note').text()).toMatch(/long/);
  });
});

describe('no results', () => {
  test('says so, suggests a spelling from the site’s own words, and shows recent stories', async () => {
    const res = await search('q=korae');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('No results for “korae”');
    expect($('.search-page__suggestion').text()).toBe('Did you mean korea?');
    expect($('.search-page__suggestion a').attr('href')).toBe('/search?q=korea');
    expect($('#recent-heading').text()).toBe('Recent stories');
    expect($('.story-card').length).toBe(5);
  });

  test('a query of symbols only explains what happened', async () => {
    const res = await search('q=%F0%9F%98%80+***');
    expect(res.status).toBe(200);
    expect(cheerio.load(res.text)('.search-page__note').text()).toMatch(/no words/);
  });

  test('an empty query shows the search form', async () => {
    const res = await search('q=');
    expect(res.status).toBe(200);
    expect(cheerio.load(res.text)('h1').text()).toBe('Search the site');
  });
});

describe('the index follows the articles', () => {
  test('an edit changes what is found, and a deletion removes the story', async () => {
    const own = await createTestSite();
    try {
      const record = buildArticleRecord({ slug: 'Changing-story', headline: 'A story about marmosets', body: ['Marmosets are small.'] });
      await importRecords(own, [record]);
      const find = async (q: string) => resultHeadlines((await request(own.app).get(`/search?q=${q}`)).text);
      expect(await find('marmosets')).toEqual(['A story about marmosets']);
      await importRecords(own, [{ ...record, headline: 'A story about tamarins', body: ['Tamarins are small.'] }]);
      expect(await find('marmosets')).toEqual([]);
      expect(await find('tamarins')).toEqual(['A story about tamarins']);
      const id = own.db.prepare("SELECT id FROM articles WHERE slug = 'Changing-story'").pluck().get() as number;
      createArticleRepository(own.db).remove(id);
      expect(await find('tamarins')).toEqual([]);
      expect(own.db.prepare("INSERT INTO article_search (article_search) VALUES ('integrity-check')").run()).toBeTruthy();
    } finally {
      await own.close();
    }
  });

  test('drafts and scheduled stories are never found', async () => {
    const own = await createTestSite();
    try {
      await importRecords(own, [
        buildArticleRecord({ slug: 'Draft-okapi', headline: 'Okapi draft', status: 'draft' }),
        buildArticleRecord({ slug: 'Later-okapi', headline: 'Okapi later', published_at: '2031-01-01T00:00:00Z' }),
      ]);
      expect(resultHeadlines((await request(own.app).get('/search?q=okapi')).text)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

describe('bad search parameters get a 400 page saying what was wrong', () => {
  test.each([
    ['q=korea&sort=bogus', /^sort: /],
    ['q=korea&page=-1', /^page: /],
    ['q=korea&page=0', /^page: /],
    ['q=korea&page=100000', /^page: /],
    ['q=a&q=b', /^q: /],
    ['q=korea&section=Nowhere', /^section: /],
    ['q=korea&section=..%2F..', /^section: /],
    ['q=korea&from=2013-02-30', /^from: /],
    ['q=korea&from=yesterday', /^from: /],
    ['q=korea&from=2014-01-01&to=2013-01-01', /^from: /],
    ['q=korea&sort=newest&sort=relevance', /^sort: /],
  ])('%s', async (query, detail) => {
    const res = await search(query);
    expect(res.status).toBe(400);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Bad request');
    expect($('.error-page__details li').first().text()).toMatch(detail);
  });

  test('a page past the last is a 404', async () => {
    expect((await search('q=zeppelin&page=5')).status).toBe(404);
  });
});

describe('OpenSearch', () => {
  test('every page links the description, which points at /search', async () => {
    const page = cheerio.load((await request(site.app).get('/')).text);
    expect(page('link[rel="search"]').attr('href')).toBe('/opensearch.xml');
    const res = await request(site.app).get('/opensearch.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/opensearchdescription\+xml/);
    const xml = cheerio.load(res.text, { xml: true });
    expect(xml('Url').attr('template')).toBe('https://news.example/search?q={searchTerms}');
    expect(xml('ShortName').text()).toBe('The Monitor');
  });
});
