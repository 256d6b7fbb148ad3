import * as cheerio from 'cheerio';
import request from 'supertest';
import { addNewsroomUser, getAs, postAs, signIn, type NewsroomBrowser } from '../helpers/newsroom';
import { nextIp, postSignup, validFields } from '../helpers/signup-form';
import { createTestSite, type TestSite } from '../helpers/test-site';

// The subscribers' pages of the newsroom (admins only): the list with its address search,
// filters, counts and pages; one subscriber's consent history; resending a confirmation; the
// streamed CSV export; erasure after a confirmation step. Readers sign up through the real form;
// the thousands of rows for the list and the export are written straight to the file.

let site: TestSite;
let admin: NewsroomBrowser;
let editor: NewsroomBrowser;

const subscriberId = (email: string) =>
  site.db.prepare<[string], number>('SELECT id FROM subscriptions WHERE lower(email) = lower(?)').pluck().get(email)!;

beforeAll(async () => {
  site = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
  await addNewsroomUser(site, 'admin@news.example', 'admin');
  await addNewsroomUser(site, 'editor@news.example', 'editor');
  admin = await signIn(site, 'admin@news.example');
  editor = await signIn(site, 'editor@news.example');
  // Readers who signed up through the form: one confirmed later, one still pending.
  for (const [email, name] of [
    ['Pending.Reader@example.com', "Pat & O'Brien"],
    ['confirmed.reader@example.com', '=HYPERLINK("http://evil.example")'],
  ]) {
    const res = await postSignup(site, validFields({ email: email!, name: name!, source: '/World' }), { ip: nextIp() });
    expect(res.status).toBeLessThan(400);
  }
  site.db
    .prepare("UPDATE subscriptions SET status = 'confirmed', confirmed_at = created_at WHERE email = 'confirmed.reader@example.com'")
    .run();
  // Many more, written directly: 2,400 confirmed on "digital", 600 unsubscribed on "print".
  const insert = site.db.prepare(
    `INSERT INTO subscriptions (email, name, plan_code, status, created_at, updated_at)
     VALUES (?, '', ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
  );
  site.db.transaction(() => {
    for (let i = 0; i < 3000; i++)
      insert.run(`bulk${i}@list.example`, i < 2400 ? 'digital' : 'print', i < 2400 ? 'confirmed' : 'unsubscribed');
  })();
});
afterAll(() => site.close());

test('only admins see subscribers: editors are refused every page and action', async () => {
  const id = subscriberId('pending.reader@example.com');
  for (const path of [
    '/admin/subscribers',
    '/admin/subscribers/export.csv',
    `/admin/subscribers/${id}`,
    `/admin/subscribers/${id}/erase`,
  ]) {
    expect((await getAs(site, editor, path)).status).toBe(403);
  }
  expect((await postAs(site, editor, `/admin/subscribers/${id}/erase`, {})).status).toBe(403);
  expect((await postAs(site, editor, `/admin/subscribers/${id}/resend`, {})).status).toBe(403);
  expect(subscriberId('pending.reader@example.com')).toBe(id);
});

test('the list is searched by address in any case, filtered by status and plan, counted and paged', async () => {
  const list = async (query: string) => cheerio.load((await getAs(site, admin, `/admin/subscribers${query}`)).text);
  let $ = await list('?q=PENDING.reader');
  expect($('.newsroom-subscribers tbody tr')).toHaveLength(1);
  expect($('.newsroom-subscribers td').eq(1).text()).toBe("Pat & O'Brien"); // shown as text
  $ = await list('?q=%25');
  expect(
    $('h2')
      .filter((_, h) => /subscriber/.test($(h).text()))
      .text(),
  ).toBe('0 subscribers'); // % is a character, not a wildcard
  $ = await list('?status=unsubscribed&plan=print');
  expect(
    $('h2')
      .filter((_, h) => /subscriber/.test($(h).text()))
      .text(),
  ).toBe('600 subscribers');
  expect($('.pagination__status').text()).toBe('Page 1 of 12');
  $ = await list('?status=unsubscribed&plan=print&page=12');
  expect($('.newsroom-subscribers tbody tr')).toHaveLength(50);
  expect($('a[rel="prev"]').attr('href')).toBe('/admin/subscribers?status=unsubscribed&plan=print&page=11');
  const counts = $('.newsroom-counts');
  expect(
    counts
      .find('tr')
      .filter((_, tr) => $(tr).find('th').text() === 'confirmed')
      .find('td')
      .last()
      .text(),
  ).toBe('2,401');
  expect(
    counts
      .find('tr')
      .filter((_, tr) => $(tr).find('th').text() === 'pending')
      .find('td')
      .last()
      .text(),
  ).toBe('1');
  for (const bad of ['?status=bogus', '?page=0', '?plan=DROP%20TABLE', '?q=a&q=b']) {
    expect((await getAs(site, admin, `/admin/subscribers${bad}`)).status).toBe(400);
  }
});

test("a subscriber's page shows what they agreed to, when and from which page", async () => {
  const res = await getAs(site, admin, `/admin/subscribers/${subscriberId('pending.reader@example.com')}`);
  expect(res.status).toBe(200);
  const $ = cheerio.load(res.text);
  const consent = $('table').last().find('tbody tr');
  expect(consent).toHaveLength(1);
  expect(consent.find('td').eq(1).text()).toBe('/World');
  expect(consent.find('td').eq(2).text()).toMatch(/weekly|mail|agree/i);
  expect(consent.find('td').eq(0).text()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  expect(res.text).toContain('Pat &amp; O&#39;Brien');
  expect((await getAs(site, admin, '/admin/subscribers/999999')).status).toBe(404);
});

test('the export streams every matching row as CSV, with formulas defused, and is audited', async () => {
  const res = await getAs(site, admin, '/admin/subscribers/export.csv?status=confirmed')
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => done(null, text));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="subscribers-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(res.headers['transfer-encoding']).toBe('chunked'); // written as it is read, never sized up front
  expect(res.headers['cache-control']).toBe('private, no-store, no-transform');
  const lines = (res.body as string).trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^email,name,plan,status/);
  expect(lines).toHaveLength(1 + 2401);
  expect(lines.find((line) => line.startsWith('confirmed.reader@'))).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  expect(site.db.prepare("SELECT detail FROM newsroom_audit WHERE action = 'exported subscribers'").pluck().get()).toBe('status confirmed');
});

test('resending a confirmation mails a new link and retires the old one; only pending subscribers get one', async () => {
  const id = subscriberId('pending.reader@example.com');
  const mails = () =>
    site.db
      .prepare<[number], string>("SELECT text_body FROM mail_outbox WHERE subscription_id = ? AND kind = 'confirm' ORDER BY id")
      .pluck()
      .all(id);
  const first = /token=([A-Za-z0-9_-]{43})/.exec(mails()[0]!)![1]!;
  const res = await postAs(site, admin, `/admin/subscribers/${id}/resend`, {});
  expect(res.status).toBe(303);
  expect(
    cheerio
      .load((await getAs(site, admin, res.headers.location!)).text)('.newsroom-notice')
      .text(),
  ).toContain('new confirmation link');
  expect(mails()).toHaveLength(2);
  const second = /token=([A-Za-z0-9_-]{43})/.exec(mails()[1]!)![1]!;
  expect(second).not.toBe(first);
  expect((await request(site.app).get(`/subscribe/confirm?token=${first}`)).status).toBe(400); // the old link: not valid
  expect((await request(site.app).get(`/subscribe/confirm?token=${second}`)).status).toBe(200);

  const confirmed = subscriberId('confirmed.reader@example.com');
  const refused = await postAs(site, admin, `/admin/subscribers/${confirmed}/resend`, {});
  expect(refused.headers.location).toContain('notice=not-pending');
  expect(site.db.prepare("SELECT count(*) FROM mail_outbox WHERE subscription_id = ? AND kind = 'confirm'").pluck().get(confirmed)).toBe(1);
});

test('erasing asks first, then removes the subscription, its consents and its mail; the audit log keeps no address', async () => {
  const id = subscriberId('pending.reader@example.com');
  const ask = await getAs(site, admin, `/admin/subscribers/${id}/erase`);
  expect(cheerio.load(ask.text)('main form button').text()).toBe('Erase subscriber');
  expect(subscriberId('pending.reader@example.com')).toBe(id); // asking erased nothing
  const res = await postAs(site, admin, `/admin/subscribers/${id}/erase`, {});
  expect(res.status).toBe(303);
  expect(
    cheerio
      .load((await getAs(site, admin, res.headers.location!)).text)('.newsroom-notice')
      .text(),
  ).toContain('erased');
  for (const table of ['subscriptions WHERE id = ?', 'consents WHERE subscription_id = ?', 'mail_outbox WHERE subscription_id = ?']) {
    expect(site.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(id)).toBe(0);
  }
  expect(site.db.prepare("SELECT count(*) FROM mail_outbox WHERE lower(to_address) = 'pending.reader@example.com'").pluck().get()).toBe(0);
  const audit = site.db
    .prepare<[], { subject: string; detail: string }>("SELECT subject, detail FROM newsroom_audit WHERE action = 'erased subscriber'")
    .get()!;
  expect(audit).toEqual({ subject: `subscriber ${id}`, detail: '1 subscription, 1 consent records, 2 mails' });
  expect(JSON.stringify(site.db.prepare('SELECT * FROM newsroom_audit').all())).not.toMatch(/pending\.reader/i);
  expect((await getAs(site, admin, `/admin/subscribers/${id}`)).status).toBe(404);
  expect((await postAs(site, admin, `/admin/subscribers/${id}/erase`, {})).status).toBe(404);
});
