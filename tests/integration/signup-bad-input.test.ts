import * as cheerio from 'cheerio';
import request from 'supertest';
import { agedToken, nextIp, openSubscribeForm, postSignup, validFields } from '../helpers/signup-form';
import { createTestSite, type TestSite } from '../helpers/test-site';

let site: TestSite;
const subscriptions = () => site.db.prepare('SELECT count(*) FROM subscriptions').pluck().get() as number;

beforeAll(async () => {
  site = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
});
afterAll(() => site.close());

describe('invalid fields: 422, the form again with a message beside each wrong field, values kept, nothing stored', () => {
  test.each([
    ['an address without @', { email: 'reader.example.com' }, 'email', /like name@example\.com/],
    ['an address without a dotted domain', { email: 'reader@localhost' }, 'email', /like name@example\.com/],
    ['an address with spaces', { email: 'a reader@example.com' }, 'email', /like name@example\.com/],
    ['an empty address', { email: '' }, 'email', /Enter your email address/],
    ['an address of 255 characters', { email: `${'a'.repeat(60)}@${'b'.repeat(190)}.com` }, 'email', /at most 254/],
    ['a local part of 65 characters', { email: `${'a'.repeat(65)}@example.com` }, 'email', /before the @/],
    ['a name of 101 characters', { name: 'n'.repeat(101) }, 'name', /at most 100/],
    ['markup in the name', { name: '<script>alert(1)</script>' }, 'name', /cannot contain/],
    ['no consent', { consent: '' }, 'consent', /Tick the box/],
    ['an unknown plan', { plan: 'platinum' }, 'plan', /editions offered/],
  ])('%s', async (_, overrides, field, message) => {
    const before = subscriptions();
    const fields = validFields(overrides as Record<string, string>);
    const res = await postSignup(site, fields);
    expect(res.status).toBe(422);
    const $ = cheerio.load(res.text);
    expect($(`#subscribe-${field}-error`).text()).toMatch(message);
    const summary = $('#error-summary');
    expect(summary.attr('role')).toBe('alert');
    expect(summary.is('[autofocus]')).toBe(true);
    expect(summary.find(`a[href="#subscribe-${field}"]`).text()).toMatch(message);
    if (field !== 'email') expect($('#subscribe-email').val()).toBe(fields.email);
    expect($('#subscribe-name').val()).toBe(fields.name!.slice(0, 300));
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(subscriptions()).toBe(before);
  });

  test('arrays and objects in fields are refused beside the field', async () => {
    const session = await openSubscribeForm(site);
    const csrf = agedToken(site, session);
    const arrays = await postSignup(site, `_csrf=${csrf}&email=a%40example.com&email=b%40example.com&plan=digital&consent=yes&website=`, {
      session,
    });
    expect(arrays.status).toBe(422);
    expect(cheerio.load(arrays.text)('#subscribe-email-error').text()).toMatch(/Enter your email address/);
    const objects = await postSignup(site, `_csrf=${csrf}&email[a]=x&plan[]=digital&consent=yes&website=`, { session });
    expect(objects.status).toBe(422);
    const $ = cheerio.load(objects.text);
    expect($('#subscribe-email-error').text()).not.toBe('');
    expect($('#subscribe-plan-error').text()).not.toBe('');
  });
});

describe('refused outright', () => {
  test('a 2 MB body is a 413 page', async () => {
    const res = await postSignup(site, validFields({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(cheerio.load(res.text)('h1').text()).toBe('Request too large');
  });

  test('a missing or wrong token is a 403 page', async () => {
    const session = await openSubscribeForm(site);
    for (const csrf of ['', 'abc', `${session.csrf}x`, 'p.zz.forged']) {
      const res = await postSignup(site, new URLSearchParams({ ...validFields(), _csrf: csrf }).toString(), { session });
      expect(res.status).toBe(403);
      expect(cheerio.load(res.text)('h1').text()).toBe('Forbidden');
    }
    const noCookie = await request(site.app)
      .post('/subscribe')
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send({ ...validFields(), _csrf: agedToken(site, session) });
    expect(noCookie.status).toBe(403);
    expect(subscriptions()).toBe(0);
  });

  test('a cross-site post is a 403, even with a valid token', async () => {
    const session = await openSubscribeForm(site);
    const body = { ...validFields(), _csrf: agedToken(site, session) };
    const crossSite = await request(site.app)
      .post('/subscribe')
      .set('Cookie', session.cookie)
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send(body);
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await request(site.app)
      .post('/subscribe')
      .set('Cookie', session.cookie)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send(body);
    expect(foreignOrigin.status).toBe(403);
    expect(subscriptions()).toBe(0);
  });

  test('a filled honeypot is refused and stores nothing', async () => {
    const res = await postSignup(site, validFields({ website: 'http://spam.example' }));
    expect(res.status).toBe(400);
    expect(subscriptions()).toBe(0);
  });
});

describe('rate limits', () => {
  test('a burst from one address past the limit gets 429 with a page saying when to try again', async () => {
    const ip = '192.0.2.99';
    const statuses: number[] = [];
    for (let i = 0; i < 22; i += 1) statuses.push((await postSignup(site, validFields({ email: `burst${i}@example.com` }), { ip })).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(303));
    const limited = await postSignup(site, validFields({ email: 'one-more@example.com' }), { ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(cheerio.load(limited.text)('.error-page__message').text()).toMatch(/try again in \d+ minutes?/);
    expect((await postSignup(site, validFields({ email: 'other-ip@example.com' }), { ip: nextIp() })).status).toBe(303);
  });

  test('one address can be signed up only a few times an hour', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await postSignup(site, validFields({ email: 'Same@Example.com' }))).status);
    expect(statuses).toEqual([303, 303, 303, 429]);
  });
});
