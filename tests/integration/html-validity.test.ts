import * as cheerio from 'cheerio';
import request from 'supertest';
import { checkHtml } from '../helpers/html-checker';
import { postSignup, validFields } from '../helpers/signup-form';
import { addNewsroomUser, getAs, postAs, postSignin, signIn } from '../helpers/newsroom';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

// Every kind of page a reader or a crawler can reach, checked by the W3C Nu Html Checker: a
// skipped heading level or a stray attribute is an error that screen readers and parsers meet.
let site: TestSite;
beforeAll(async () => {
  site = await createTestSite();
});
afterAll(() => site?.close());

async function page(path: string, status = 200): Promise<string> {
  const res = await request(site.app).get(path);
  expect({ path, status: res.status }).toEqual({ path, status });
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  return res.text;
}

test('every page kind has no errors in the Nu Html Checker', async () => {
  const article = await page(SEED_ARTICLE_PATH);
  const topic = cheerio.load(article)('a[href^="/topics/"]').first().attr('href')!;
  const signupError = await postSignup(site, validFields({ email: 'not-an-address' }));
  expect(signupError.status).toBe(422);
  const documents: Record<string, string> = {
    front: await page('/'),
    'front-page-2': await page('/?page=2'),
    section: await page('/World'),
    subsection: await page('/World/Asia-Pacific'),
    article,
    topic: await page(topic),
    results: await page('/search?q=korea'),
    'results-in-section': await page('/search?q=korea&section=World'),
    'no-results': await page('/search?q=qqqzzzxxy'),
    'empty-search': await page('/search'),
    subscribe: await page('/subscribe'),
    'subscribe-error': signupError.text,
    'subscribe-thanks': await page('/subscribe/thanks'),
    'confirm-bad-token': await page('/subscribe/confirm?token=nope', 400),
    'unsubscribe-bad-token': await page('/subscribe/unsubscribe?token=nope', 400),
    feeds: await page('/feeds'),
    corrections: await page('/corrections'),
    'not-found': await page('/no-such-page', 404),
  };
  const errors = await checkHtml(documents);
  expect(errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([]);
}, 60_000);

test('the checker does report a skipped heading level (so a clean report means something)', async () => {
  const html = (await page('/'))
    .replace(/<h2 class="story-card__headline">/, '<h4 class="story-card__headline">')
    .replace(/<\/a><\/h2>/, '</a></h4>');
  const errors = await checkHtml({ broken: html });
  expect(errors.map((e) => e.message).join('\n')).toMatch(/skipping \d heading level/);
}, 60_000);

test('every newsroom page has no errors in the Nu Html Checker', async () => {
  await addNewsroomUser(site, 'checker@news.example', 'admin');
  const admin = await signIn(site, 'checker@news.example');
  const as = async (path: string) => {
    const res = await getAs(site, admin, path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.text;
  };
  const added = await postAs(site, admin, '/admin/users', { email: 'invited@news.example', role: 'writer' });
  const welcome = new URL(cheerio.load(added.text)('.newsroom-notice code').text()).pathname;
  const seedId = site.db.prepare("SELECT id FROM articles WHERE slug LIKE 'Is-North-Korea-ready%'").pluck().get() as number;
  const made = await postAs(site, admin, '/admin/stories/new', {
    headline: 'Checked story',
    section: '1',
    body: 'Text.',
    action: 'save',
    revision: '0',
  });
  const madeId = Number(/(\d+)\?/.exec(made.headers.location!)![1]);
  await postAs(site, admin, `/admin/stories/${madeId}`, {
    headline: 'Checked story, again',
    section: '1',
    body: 'Text.',
    action: 'save',
    revision: '1',
  });
  const previewAsked = await postAs(site, admin, `/admin/stories/${madeId}/preview-link`, {});
  const previewUrl = cheerio
    .load(await as(previewAsked.headers.location!))('.newsroom-notice code')
    .text();
  const documents: Record<string, string> = {
    'newsroom-preview': await page(new URL(previewUrl).pathname),
    'newsroom-revisions': await as(`/admin/stories/${madeId}/revisions`),
    'newsroom-photos': await as('/admin/photos?q=harbour'),
    'newsroom-login': await page('/admin/login'),
    'newsroom-login-failed': (await postSignin(site, 'checker@news.example', 'wrong password here')).text,
    'newsroom-home': await as('/admin'),
    'newsroom-stories': await as('/admin/stories?status=published&q=korea'),
    'newsroom-users': await as('/admin/users'),
    'newsroom-user-added': added.text,
    'newsroom-user-error': (await postAs(site, admin, '/admin/users', { email: 'nope', role: 'boss' })).text,
    'newsroom-audit': await as('/admin/audit'),
    'newsroom-account': await as('/admin/account'),
    'newsroom-welcome': await page(welcome),
    'newsroom-welcome-bad': await page('/admin/welcome/nope', 404),
    'newsroom-new-story': await as('/admin/stories/new'),
    'newsroom-edit-seed-story': await as(`/admin/stories/${seedId}`),
    'newsroom-story-errors': (
      await postAs(site, admin, '/admin/stories/new', { headline: '', section: '', body: '', action: 'save', revision: '0' })
    ).text,
    'newsroom-story-conflict': (
      await postAs(site, admin, `/admin/stories/${seedId}`, {
        headline: 'Changed',
        section: '1',
        body: 'Text.',
        action: 'save',
        revision: '99',
      })
    ).text,
  };
  const errors = await checkHtml(documents);
  expect(errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([]);
}, 60_000);
