import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

let site: TestSite;
let $: cheerio.CheerioAPI;
let response: request.Response;

beforeAll(async () => {
  site = await createTestSite();
  response = await request(site.app).get(SEED_ARTICLE_PATH);
  $ = cheerio.load(response.text);
});
afterAll(() => site.close());

describe('the seed article page', () => {
  test('answers 200 with HTML that a shared cache may keep', () => {
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.headers['cache-control']).toMatch(/^public/);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  test('has skip links, each pointing at a real element', () => {
    const links = $('.skip-links a');
    expect(links.map((_, a) => $(a).text()).get()).toEqual(['Skip to: Content', 'Skip to: Site Navigation', 'Skip to: Search']);
    links.each((_, a) => {
      const id = $(a).attr('href')!.slice(1);
      expect($(`[id="${id}"]`)).toHaveLength(1);
    });
    expect($('#content').is('main')).toBe(true);
    expect($('#site-navigation').is('nav')).toBe(true);
    expect($('#search-q').attr('name')).toBe('q');
  });

  test('has the section navigation with World marked as current, and a labelled search form', () => {
    const current = $('#site-navigation a[aria-current="page"]');
    expect(current.text()).toBe('World');
    expect($('#site-navigation a').length).toBeGreaterThanOrEqual(6);
    const form = $('form[role="search"]').first();
    expect(form.attr('action')).toBe('/search');
    expect(form.attr('method')).toBe('get');
    expect($('label[for="search-q"]').text()).toMatch(/search/i);
  });

  test('shows the breadcrumb, headline, deck, byline and dateline', () => {
    expect(
      $('.breadcrumb a')
        .map((_, a) => $(a).text())
        .get(),
    ).toEqual(['World', 'Asia Pacific']);
    expect($('h1').text()).toBe('Is North Korea ready to talk? Moscow meeting may be first step');
    expect($('h1')).toHaveLength(1);
    expect($('.article__deck').text()).toMatch(/^North Korea's chief nuclear negotiator will travel to Moscow next week/);
    expect($('.byline').text()).toBe('By Reuters');
    const time = $('.article__byline time.dateline');
    expect(time.attr('datetime')).toMatch(/^2013-06-29T/);
    expect(time.text()).toBe('June 29, 2013');
    expect($('.updated')).toHaveLength(0);
  });

  test('shows the hero photo as a figure with alt text, size, srcset, caption and credit', () => {
    const img = $('.article__hero img');
    expect(img.attr('alt')).toMatch(/Kim Jong-un/);
    expect(Number(img.attr('width'))).toBe(1200);
    expect(Number(img.attr('height'))).toBe(800);
    expect(img.attr('srcset')).toMatch(/ 320w, .* 640w/);
    expect(img.attr('loading')).toBe('eager');
    expect($('.article__hero source[type="image/webp"]').attr('srcset')).toMatch(/\.webp 320w/);
    expect($('.article__hero figcaption .caption').text()).toMatch(
      /^North Korea's leader Kim Jong-un \(center\) visits the February 11 Factory/,
    );
    expect($('.article__hero figcaption .credit').text()).not.toBe('');
  });

  test('has the body with its punctuation restored and topic links', () => {
    const text = $('.article__body').text();
    expect(text).toContain('the United States, Japan, Russia and its main ally China');
    expect(text).toContain("Russia's Foreign Ministry declined to comment");
    expect(text).toContain("Kim Kye-gwan, North Korea's First Deputy Foreign Minister, will meet");
    expect($('.article__body a[href="/topics/kim-kye-gwan"]').first().text()).toBe('Kim Kye-gwan');
    for (const slug of ['united-states', 'japan', 'russia', 'north-korea']) {
      expect($(`.article__body a[href="/topics/${slug}"]`).length).toBeGreaterThan(0);
    }
    expect($('.article__body p').length).toBeGreaterThanOrEqual(9);
  });

  test('puts a working "Skip to next paragraph" link before the inline block', () => {
    const skip = $('.article__body a.skip-inline');
    expect(skip.text()).toBe('Skip to next paragraph');
    expect(skip.next().is('aside, figure')).toBe(true);
    const target = $(skip.attr('href')!);
    expect(target.is('p')).toBe(true);
    expect(target.text()).toMatch(/^Kim Kye-gwan/);
  });

  test('ends with the wire credit line, the topics and related stories', () => {
    expect($('.article__credit').text()).toBe('(Reporting by Vladimir Soldatkin; Editing by Andrew Heavens)');
    expect(
      $('.article__topics a')
        .map((_, a) => $(a).text())
        .get(),
    ).toContain('North Korea');
    const related = $('.article__related .story-card__headline a');
    expect(related.length).toBeGreaterThan(0);
    expect(related.map((_, a) => $(a).text()).get()).not.toContain('Is North Korea ready to talk? Moscow meeting may be first step');
  });

  test('has the Doing Good promo in the sidebar, with the reference words', () => {
    const promo = $('.sidebar .promo');
    expect(promo.find('.promo__series').text()).toBe('Doing Good');
    expect(promo.find('.promo__tagline').text()).toBe(
      'What happens when ordinary people decide to pay it forward? Extraordinary change...',
    );
    expect(promo.find('figcaption').text()).toBe('Danny Bent poses at the starting line of the Boston Marathon in Hopkinton, Mass.');
    expect(promo.find('img').attr('alt')).toBeTruthy();
    expect(promo.find('.promo__headline a').text()).toBe(
      'After the Boston Marathon bombings, Danny Bent took on a cross-country challenge',
    );
    expect(promo.find('.promo__summary').text()).toMatch(/^The athlete-adventurer co-founded a relay run called One Run for Boston/);
  });

  test('has the offer panel with its benefits and a form posting to /subscribe', () => {
    const panel = $('.sidebar .offer-panel');
    const benefits = panel
      .find('.offer-panel__benefits li')
      .map((_, li) => $(li).text())
      .get();
    expect(benefits).toEqual([
      'Weekly review of global news and ideas',
      'Balanced, insightful and trustworthy',
      'Subscribe in print or digital',
    ]);
    expect(panel.find('.offer-panel__special').text()).toMatch(/Special Offer/);
    const form = panel.find('form');
    expect(form.attr('action')).toBe('/subscribe');
    expect(form.attr('method')).toBe('post');
    expect(form.find('input[name="email"]').attr('type')).toBe('email');
  });

  test('has the footer with the follow links and "See our feeds!"', () => {
    const footer = $('footer.site-footer');
    expect(footer.text()).toContain('Become a fan! Follow us!');
    expect(footer.find('a[href="/feeds"]').text()).toBe('See our feeds!');
    expect(footer.find('.footer-sections a').length).toBeGreaterThanOrEqual(6);
  });

  test('has the head: title, description, canonical, OpenGraph, Twitter card and NewsArticle JSON-LD', () => {
    expect($('title').text()).toMatch(/^Is North Korea ready to talk\?/);
    expect($('meta[name="description"]').attr('content')).toMatch(/^North Korea's chief nuclear negotiator/);
    expect($('link[rel="canonical"]').attr('href')).toBe(`https://news.example${SEED_ARTICLE_PATH}`);
    expect($('meta[property="og:type"]').attr('content')).toBe('article');
    expect($('meta[property="og:image"]').attr('content')).toMatch(/^https:\/\/news\.example\/photos\//);
    expect($('meta[name="twitter:card"]').attr('content')).toBe('summary_large_image');
    const jsonLd = JSON.parse($('script[type="application/ld+json"]').text());
    expect(jsonLd).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'Is North Korea ready to talk? Moscow meeting may be first step',
      datePublished: expect.stringMatching(/^2013-06-29/),
      author: [{ name: 'Reuters' }],
      publisher: { name: 'The Monitor', logo: { url: expect.stringMatching(/^https:\/\/news\.example\/assets\//) } },
    });
    expect(jsonLd.image[0]).toMatch(/^https:/);
  });
});

describe('every article page', () => {
  test('JSON-LD holds the text an editor typed without letting it close its script element', async () => {
    // The JSON-LD is the one place a template prints text unescaped (views/partials/head.ejs).
    const headline = 'Talks end </script><script>alert(1)</script> <!-- at dawn \u2028 and after';
    const report = await importRecords(site, [buildArticleRecord({ slug: 'Script-in-headline', headline, deck: '</SCRIPT> in the deck' })]);
    expect(report.rejected).toEqual([]);
    const res = await request(site.app).get('/Science/2014/0101/Script-in-headline');
    expect(res.status).toBe(200);
    const page = cheerio.load(res.text);
    expect(page('script')).toHaveLength(1);
    const raw = page('script[type="application/ld+json"]').text();
    expect(raw).not.toMatch(/<\/?script|<!--|\u2028/i);
    expect(JSON.parse(raw)).toMatchObject({ headline, description: '</SCRIPT> in the deck' });
  });

  test('a story without a hero photo or credit line still renders the whole page', async () => {
    const res = await request(site.app).get('/World/Asia-Pacific/2013/0619/China-presses-North-Korea-to-return-to-six-party-talks');
    expect(res.status).toBe(200);
    const page = cheerio.load(res.text);
    expect(page('.article__hero')).toHaveLength(0);
    expect(page('.byline').text()).toBe('By Clara Whitfield, Staff writer');
    expect(page('.sidebar .promo')).toHaveLength(1);
    expect(page('#article-end')).toHaveLength(1);
  });
});
