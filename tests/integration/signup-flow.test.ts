import * as cheerio from 'cheerio';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { nextIp, openSubscribeForm, postSignup, validFields } from '../helpers/signup-form';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

let inbox: SmtpInbox;
let site: TestSite;
const subscription = (email: string) =>
  site.db.prepare('SELECT * FROM subscriptions WHERE email = ?').get(email) as
    { id: number; status: string; confirm_token_hash: string | null } | undefined;
/** A header as sent (mailparser folds List-* headers into one object; the raw line is clearer). */
const rawHeader = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((line) => line.key === name.toLowerCase())
    ?.line.slice(name.length + 1)
    .trim();
const linkIn = (text: string, path: string) =>
  new RegExp(`https://news\\.example${path.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9_.-]+`).exec(text)![0];

beforeAll(async () => {
  inbox = await startSmtpInbox();
  site = await createTestSite({ env: { SMTP_URL: inbox.url, MAIL_FROM: 'The Monitor <news@news.example>', TRUST_PROXY: 'loopback' } });
});
afterAll(async () => {
  await site.close();
  await inbox.close();
});

test('/subscribe shows the offer and the form, and is never cached', async () => {
  const res = await request(site.app).get('/subscribe');
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('private, no-store');
  expect(res.headers['set-cookie']![0]).toMatch(/^csrf=[A-Za-z0-9_-]{24}; Path=\/; HttpOnly; SameSite=Lax$/);
  const $ = cheerio.load(res.text);
  expect(
    $('.subscribe-page__benefits li')
      .map((_, li) => $(li).text())
      .get(),
  ).toEqual(['Weekly review of global news and ideas', 'Balanced, insightful and trustworthy', 'Subscribe in print or digital']);
  expect($('.offer-panel__special').text()).toMatch(/Special Offer/);
  expect(
    $('.plan-option')
      .map((_, l) => $(l).text().replace(/\s+/g, ' ').trim())
      .get(),
  ).toEqual([expect.stringMatching(/^Digital, \$49\.00 a year/), expect.stringMatching(/^Print \+ Digital, \$89\.00 a year/)]);
  const form = $('#subscribe-form');
  expect(form.attr('action')).toBe('/subscribe');
  expect(form.attr('method')).toBe('post');
  for (const name of ['email', 'name', 'plan', 'consent', '_csrf']) expect(form.find(`[name="${name}"]`).length).toBeGreaterThan(0);
  expect($('label[for="subscribe-email"]').text()).toBe('Email address');
  expect($('.consent-option').text()).toMatch(/unsubscribe at any time/);
});

test('the whole path: sign up, mail, a link that changes nothing by itself, the button, welcome mail, one-click unsubscribe', async () => {
  const email = 'Full.Path@Example.COM';
  const res = await postSignup(site, validFields({ email, plan: 'print' }));
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/subscribe/thanks');
  const stored = subscription('Full.Path@example.com')!;
  expect(stored.status).toBe('pending');

  const thanks = await request(site.app).get('/subscribe/thanks');
  expect(cheerio.load(thanks.text)('h1').text()).toBe('Check your inbox');

  const confirmMail = await inbox.waitFor((m) => m.subject === 'Confirm your subscription to The Monitor Weekly');
  expect((confirmMail.to as { text: string }).text).toBe('Full.Path@example.com');
  expect(rawHeader(confirmMail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  const listUnsubscribe = rawHeader(confirmMail, 'List-Unsubscribe')!;
  expect(listUnsubscribe).toMatch(/^<https:\/\/news\.example\/subscribe\/unsubscribe\?token=/);
  expect(confirmMail.text).toContain('Unsubscribe with one click: https://news.example/subscribe/unsubscribe?token=');
  expect(
    cheerio
      .load(confirmMail.html as string)('a:contains("Unsubscribe")')
      .attr('href'),
  ).toMatch(/\/subscribe\/unsubscribe\?token=/);
  const confirmUrl = linkIn(confirmMail.text!, '/subscribe/confirm');
  expect(
    site.db
      .prepare('SELECT count(*) FROM subscriptions WHERE confirm_token_hash LIKE ?')
      .pluck()
      .get(`%${confirmUrl.split('token=')[1]}%`),
  ).toBe(0);

  // A mail scanner opening the link confirms nothing.
  const path = confirmUrl.replace('https://news.example', '');
  const page = await request(site.app).get(path);
  expect(page.status).toBe(200);
  expect(page.headers['cache-control']).toBe('private, no-store');
  expect(subscription('Full.Path@example.com')!.status).toBe('pending');
  const $ = cheerio.load(page.text);
  const form = $('main form');
  expect(form.attr('method')).toBe('post');
  expect(form.find('button').text()).toBe('Confirm my subscription');

  const cookie = (page.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  const confirmed = await request(site.app)
    .post('/subscribe/confirm')
    .set('Cookie', cookie)
    .set('Origin', 'https://news.example')
    .type('form')
    .send({ token: form.find('[name="token"]').val(), _csrf: form.find('[name="_csrf"]').val() });
  expect(confirmed.status).toBe(303);
  expect(confirmed.headers.location).toBe('/subscribe/confirmed');
  expect(subscription('Full.Path@example.com')!.status).toBe('confirmed');
  const welcome = await inbox.waitFor((m) => m.subject === 'Welcome to The Monitor Weekly');
  expect(rawHeader(welcome, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  expect(rawHeader(welcome, 'List-Unsubscribe')).toBe(listUnsubscribe);

  // The same link again: a clear page, and nothing changes.
  const reused = await request(site.app).get(path);
  expect(reused.status).toBe(400);
  expect(cheerio.load(reused.text)('h1').text()).toBe('This link does not work');

  // One click from the mail client (RFC 8058): no cookie, no Origin, just the URL and the body.
  const unsubscribeUrl = listUnsubscribe.slice(1, -1).replace('https://news.example', '');
  const gone = await request(site.app).post(unsubscribeUrl).type('form').send('List-Unsubscribe=One-Click');
  expect(gone.status).toBe(200);
  expect(cheerio.load(gone.text)('h1').text()).toBe('You are unsubscribed');
  expect(subscription('Full.Path@example.com')!.status).toBe('unsubscribed');
  // The visible link opens a page with a one-click button.
  const visible = await request(site.app).get(linkIn(welcome.text!, '/subscribe/unsubscribe').replace('https://news.example', ''));
  expect(visible.status).toBe(200);
  expect(cheerio.load(visible.text)('main form button').text()).toBe('Unsubscribe');
});

test('forged, reused and expired confirmation tokens get a clear page and change nothing', async () => {
  const email = 'expiring@example.com';
  await postSignup(site, validFields({ email }));
  const mail = await inbox.waitFor((m) => (m.to as { text: string }).text === email);
  const token = linkIn(mail.text!, '/subscribe/confirm').split('token=')[1]!;
  const session = await openSubscribeForm(site);
  const post = (value: string) =>
    request(site.app)
      .post('/subscribe/confirm')
      .set('Cookie', session.cookie)
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send({ token: value, _csrf: session.csrf });

  for (const forged of ['forged', 'A'.repeat(43), `${token.slice(0, -1)}x`, '']) {
    expect((await request(site.app).get(`/subscribe/confirm?token=${forged}`)).status).toBe(400);
    expect((await post(forged)).status).toBe(400);
  }
  expect((await request(site.app).get('/subscribe/confirm')).status).toBe(400);
  expect((await request(site.app).get('/subscribe/confirm?token=a&token=b')).status).toBe(400);
  expect(subscription(email)!.status).toBe('pending');

  site.db.prepare("UPDATE subscriptions SET confirm_expires_at = '2020-01-01T00:00:00.000Z' WHERE email = ?").run(email);
  const expiredPage = await request(site.app).get(`/subscribe/confirm?token=${token}`);
  expect(expiredPage.status).toBe(410);
  expect(cheerio.load(expiredPage.text)('h1').text()).toBe('This link has expired');
  expect((await post(token)).status).toBe(410);
  expect(subscription(email)!.status).toBe('pending');
});

test('new, pending, confirmed and unsubscribed addresses get the same answer; only the mail differs', async () => {
  const answers: string[] = [];
  const record = async (email: string) => {
    const res = await postSignup(site, validFields({ email }));
    answers.push(`${res.status} ${res.headers.location}`);
  };
  await record('new@example.com');
  await record('new@example.com'); // now pending
  site.db
    .prepare(
      "INSERT INTO subscriptions (email, name, plan_code, status, created_at, updated_at) VALUES ('member@example.com', 'A Reader', 'digital', 'confirmed', 'x', 'x'), ('left@example.com', '', 'digital', 'unsubscribed', 'x', 'x')",
    )
    .run();
  await record('member@example.com');
  await record('left@example.com');
  expect(new Set(answers)).toEqual(new Set(['303 /subscribe/thanks']));
  expect((await inbox.waitFor((m) => (m.to as { text: string }).text === 'member@example.com')).subject).toBe(
    'You are already subscribed to The Monitor Weekly',
  );
  expect(subscription('member@example.com')!.status).toBe('confirmed');
  expect((await inbox.waitFor((m) => (m.to as { text: string }).text === 'left@example.com')).subject).toMatch(/^Confirm/);
  // Nothing changes until the owner confirms from that mail.
  expect(subscription('left@example.com')!.status).toBe('unsubscribed');
});

test('a consent record keeps the text version, time, page and a hash of the IP, never the IP', async () => {
  await postSignup(site, validFields({ email: 'consent@example.com', source: '/World/Europe' }), { ip: '198.51.100.7' });
  const consent = site.db
    .prepare('SELECT c.* FROM consents c JOIN subscriptions s ON s.id = c.subscription_id WHERE s.email = ?')
    .get('consent@example.com') as Record<string, string>;
  expect(consent.text_version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(consent.text).toMatch(/unsubscribe at any time/);
  expect(consent.source_page).toBe('/World/Europe');
  expect(consent.ip_hash).toMatch(/^[0-9a-f]{64}$/);
  const everything =
    JSON.stringify(site.db.prepare('SELECT * FROM consents').all()) + JSON.stringify(site.db.prepare('SELECT * FROM subscriptions').all());
  expect(everything).not.toContain('198.51.100.7');
});

test('the offer panel on a cached article page signs people up, with nothing per reader in the page', async () => {
  const article = await request(site.app).get(SEED_ARTICLE_PATH);
  expect(article.headers['set-cookie']).toBeUndefined();
  expect(article.headers['cache-control']).toMatch(/^public/);
  const $ = cheerio.load(article.text);
  const form = $('#offer-panel-form');
  const fields: Record<string, string> = {};
  form.find('input').each((_, input) => {
    const el = $(input);
    const type = el.attr('type');
    if ((type === 'radio' || type === 'checkbox') && !el.is('[checked]')) return;
    fields[el.attr('name')!] = (el.val() as string) ?? '';
  });
  Object.assign(fields, { email: 'panel@example.com', consent: 'yes' });
  expect(fields.source).toBe(SEED_ARTICLE_PATH);
  const again = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
  expect(again('#offer-panel-form [name="_csrf"]').val()).toBe(fields._csrf);

  const sameOrigin = await request(site.app)
    .post('/subscribe')
    .set('Origin', 'https://news.example')
    .set('X-Forwarded-For', nextIp())
    .type('form')
    .send(fields);
  expect(sameOrigin.status).toBe(303);
  expect(subscription('panel@example.com')!.status).toBe('pending');
  // The shared panel token is worth nothing without a browser saying the post is same-origin.
  const noOrigin = await request(site.app)
    .post('/subscribe')
    .set('X-Forwarded-For', nextIp())
    .type('form')
    .send({ ...fields, email: 'panel2@example.com' });
  expect(noOrigin.status).toBe(403);
  expect(subscription('panel2@example.com')).toBeUndefined();
  // Nor from a sibling subdomain, which a browser calls same-site.
  const sibling = await request(site.app)
    .post('/subscribe')
    .set('Sec-Fetch-Site', 'same-site')
    .set('X-Forwarded-For', nextIp())
    .type('form')
    .send({ ...fields, email: 'panel3@example.com' });
  expect(sibling.status).toBe(403);
  expect(subscription('panel3@example.com')).toBeUndefined();
});

test('a form sent faster than a person types is shown again, not accepted', async () => {
  const session = await openSubscribeForm(site);
  const res = await postSignup(
    site,
    new URLSearchParams({ _csrf: session.csrf, ...validFields({ email: 'quick@example.com' }) }).toString(),
    { session },
  );
  expect(res.status).toBe(422);
  expect(cheerio.load(res.text)('.error-summary').text()).toMatch(/very quick/);
  expect(subscription('quick@example.com')).toBeUndefined();
});
