import * as cheerio from 'cheerio';
import request from 'supertest';
import { FormTokens } from '../../src/http/form-tokens';
import { NewsletterSender } from '../../src/newsletters/newsletter-sender';
import { loadOrCreateSecret } from '../../src/site/settings-repository';
import { CONSENT_TEXT_VERSION } from '../../src/subscriptions/consent-text';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { capturedLog } from '../helpers/captured-log';
import { addNewsroomUser, getAs, postAs, signIn, type NewsroomBrowser } from '../helpers/newsroom';
import { startSmtpSink, type SinkOptions, type SmtpSink } from '../../bench/smtp-sink';
import { createTestSite, TEST_NOW, type TestSite } from '../helpers/test-site';

// The weekly review sent for real, to a real SMTP server on loopback: who gets it (confirmed, with
// a consent that covers it, not bounced), exactly one mail each with both parts, the headers mail
// clients need and working unsubscribe links; the web version; a 550 that marks the address
// bounced, a 451 retried; and an unsubscribe during the send honoured.

let site: TestSite;
let sink: SmtpSink;
let editor: NewsroomBrowser;
let clock: Date;
let sinkOptions: SinkOptions = {};
const log = capturedLog('info');

function addSubscriber(
  email: string,
  status: 'pending' | 'confirmed' | 'unsubscribed',
  consent = CONSENT_TEXT_VERSION,
  bounced = false,
): number {
  const now = clock.toISOString();
  const id = Number(
    site.db
      .prepare(
        `INSERT INTO subscriptions (email, name, plan_code, status, created_at, updated_at, confirmed_at, bounced_at)
         VALUES (?, 'Reader', 'digital', ?, ?, ?, ?, ?)`,
      )
      .run(email, status, now, now, status === 'confirmed' ? now : null, bounced ? now : null).lastInsertRowid,
  );
  site.db
    .prepare(
      `INSERT INTO consents (subscription_id, text_version, text, given_at, source_page, ip_hash) VALUES (?, ?, 'Send me the weekly review', ?, '/subscribe', ?)`,
    )
    .run(id, consent, now, 'a'.repeat(64));
  return id;
}

function newSender(connections = 2, rate = 1000) {
  return new NewsletterSender({
    db: site.db,
    logger: log.logger,
    smtpUrl: sink.url,
    from: 'The Monitor <review@news.example>',
    site: { siteName: site.config.siteName, siteUrl: site.config.siteUrl, tracking: false },
    tokens: new FormTokens(loadOrCreateSecret(site.db, site.config.secretKey)),
    rate,
    connections,
    now: () => clock,
  });
}

/** Composes an issue for a date through the newsroom and presses "Send now"; its id. */
async function composeAndSend(date: string): Promise<number> {
  const created = await postAs(site, editor, '/admin/newsletters', { issueDate: date, subject: `The week in review: ${date}` });
  expect(created.status).toBe(303);
  const id = Number(/\/admin\/newsletters\/(\d+)/.exec(created.headers.location!)![1]);
  const form = cheerio.load((await getAs(site, editor, `/admin/newsletters/${id}`)).text);
  const fields: Record<string, string> = { subject: `The week in review: ${date}`, introduction: 'Hello & welcome.\n\nSecond paragraph.' };
  form('input[name^="order_"]').each((_, input) => void (fields[form(input).attr('name')!] = String(form(input).val())));
  const sent = await postAs(site, editor, `/admin/newsletters/${id}`, { ...fields, action: 'send' });
  expect(sent.status).toBe(303);
  return id;
}

const issueStatus = (id: number) => site.db.prepare<[number], string>('SELECT status FROM newsletter_issues WHERE id = ?').pluck().get(id);
const ledger = (id: number) =>
  Object.fromEntries(
    site.db
      .prepare<[number], { email: string; status: string }>(
        'SELECT s.email, n.status FROM newsletter_sends n JOIN subscriptions s ON s.id = n.subscription_id WHERE n.issue_id = ?',
      )
      .all(id)
      .map((row) => [row.email, row.status]),
  );

beforeAll(async () => {
  clock = new Date(TEST_NOW);
  sink = await startSmtpSink({
    parse: true,
    refuse: (address) => sinkOptions.refuse?.(address),
    onAccepted: (address) => sinkOptions.onAccepted?.(address),
  });
  site = await createTestSite({ now: () => clock, env: { SMTP_URL: sink.url } });
  await addNewsroomUser(site, 'editor@news.example', 'editor');
  editor = await signIn(site, 'editor@news.example');
  // The weeks the issues cover: stories in three sections.
  const report = await importRecords(site, [
    buildArticleRecord({ section: 'World/Europe', headline: 'Talks resume in Geneva', published_at: '2026-01-14T09:00:00Z' }),
    buildArticleRecord({ section: 'Science', headline: 'A comet returns', published_at: '2026-01-13T09:00:00Z' }),
    buildArticleRecord({ section: 'USA/Politics', headline: 'A budget, at last', published_at: '2026-01-12T09:00:00Z' }),
    buildArticleRecord({ section: 'Science', headline: 'Bees count', published_at: '2026-01-05T09:00:00Z' }),
    buildArticleRecord({ section: 'Business', headline: 'Rates hold', published_at: '2025-12-28T09:00:00Z' }),
  ]);
  expect(report.rejected).toEqual([]);
});
afterAll(async () => {
  await site.close();
  await sink.close();
});
beforeEach(() => {
  site.db.prepare('DELETE FROM subscriptions').run();
  sink.accepted.clear();
  sink.mails.length = 0;
  sinkOptions = {};
});

test('every confirmed subscriber whose consent covers the review gets exactly one mail: both parts, the right headers, working links', async () => {
  const eligible = ['ann@example.org', 'bob@example.org', 'cy@example.org', 'di@example.org', 'ed@example.org'];
  for (const email of eligible) addSubscriber(email, 'confirmed');
  addSubscriber('pending@example.org', 'pending');
  addSubscriber('gone@example.org', 'unsubscribed');
  addSubscriber('old-consent@example.org', 'confirmed', '2019-01-01');
  addSubscriber('bounced@example.org', 'confirmed', CONSENT_TEXT_VERSION, true);

  // Someone guesses the web address before it exists: a 404, which caches may keep a minute.
  expect((await request(site.app).get('/newsletters/2026-01-15')).status).toBe(404);
  const id = await composeAndSend('2026-01-15');
  const sender = newSender();
  await sender.tick();
  await sender.stop();
  expect(issueStatus(id)).toBe('sent');
  expect(Object.fromEntries(sink.accepted)).toEqual(Object.fromEntries(eligible.map((email) => [email, 1])));
  expect(log.text()).toContain('review send started');
  expect(log.text()).toContain('review sent');
  expect(log.text()).not.toContain('ann@example.org'); // no address in the logs

  const mail = sink.mails.find((m) => (m.to as { text: string }).text === 'ann@example.org')!;
  expect(mail.subject).toBe('The week in review: 2026-01-15');
  expect(mail.text).toContain('Hello & welcome.');
  expect(mail.html).toContain('Hello &amp; welcome.');
  expect(mail.html).toContain('View in your browser');
  const header = (name: string) => mail.headerLines.find((line) => line.key === name)!.line.replace(/^[^:]+:\s*/, '');
  const unsubscribe = header('list-unsubscribe').replace(/^<|>$/g, '');
  expect(unsubscribe).toMatch(/^https?:\/\/.+\/subscribe\/unsubscribe\?token=[\w.-]+$/);
  expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  expect(mail.messageId).toMatch(/^<review-2026-01-15-\d+@/);
  expect(mail.text).toContain(unsubscribe); // the reader's own link in both parts
  expect(
    cheerio
      .load(mail.html as string)('a')
      .filter(
        (_, a) =>
          cheerio
            .load(mail.html as string)(a)
            .text() === 'Unsubscribe',
      )
      .attr('href'),
  ).toBe(unsubscribe);
  expect(mail.html).not.toMatch(/utm_|<img[^>]+width="1"/); // nothing tracked: tracking is off

  // "View in your browser": the web version, public once sent.
  const web = await request(site.app).get('/newsletters/2026-01-15');
  expect(web.status).toBe(200); // not the 404 from before: no cache keeps it
  expect(site.db.prepare("SELECT count(*) FROM cache_purges WHERE key = 'not-found'").pluck().get()).toBeGreaterThan(0);
  expect(web.text).toContain('Hello &amp; welcome.');
  expect(web.text).not.toContain('/subscribe/unsubscribe?token=');
  const stories = cheerio
    .load(web.text)('h3 a')
    .map((_, a) => cheerio.load(web.text)(a).attr('href'))
    .get();
  expect(stories.length).toBeGreaterThan(0);
  expect((await request(site.app).get('/newsletters/2026-01-16')).status).toBe(404);

  // One click unsubscribes (RFC 8058), as a mail provider posts it.
  const path = new URL(unsubscribe).pathname + new URL(unsubscribe).search;
  const clicked = await request(site.app).post(path).type('form').send('List-Unsubscribe=One-Click');
  expect(clicked.status).toBeLessThan(400);
  expect(site.db.prepare("SELECT status FROM subscriptions WHERE email = 'ann@example.org'").pluck().get()).toBe('unsubscribed');

  // The newsroom page shows the figures.
  const page = cheerio.load((await getAs(site, editor, `/admin/newsletters/${id}`)).text);
  expect(page('#progress-sent').text()).toBe('5');
  expect(page('#progress-left').text()).toBe('0');
  // A sent issue cannot change any more.
  expect((await postAs(site, editor, `/admin/newsletters/${id}`, { subject: 'x', introduction: '', action: 'save' })).status).toBe(409);
});

test('a 550 marks the address bounced and it gets no more reviews; a 451 is retried with backoff', async () => {
  addSubscriber('fine@example.org', 'confirmed');
  const bouncing = addSubscriber('nobody@example.org', 'confirmed');
  addSubscriber('busy@example.org', 'confirmed');
  let busyRefusals = 0;
  sinkOptions.refuse = (address) => {
    if (address === 'nobody@example.org') return 550;
    if (address === 'busy@example.org' && busyRefusals < 2) return ((busyRefusals += 1), 451);
    return undefined;
  };
  const id = await composeAndSend('2026-01-08');
  const sender = newSender();
  await sender.tick();
  expect(ledger(id)).toEqual({ 'fine@example.org': 'sent', 'nobody@example.org': 'failed', 'busy@example.org': 'pending' });
  expect(site.db.prepare('SELECT bounced_at FROM subscriptions WHERE id = ?').pluck().get(bouncing)).not.toBeNull();
  expect(issueStatus(id)).toBe('sending');
  // Not before its time: a retry waits for its backoff.
  await sender.tick();
  expect(ledger(id)['busy@example.org']).toBe('pending');
  clock = new Date(clock.getTime() + 31_000);
  await sender.tick();
  clock = new Date(clock.getTime() + 61_000);
  await sender.tick();
  await sender.stop();
  expect(ledger(id)['busy@example.org']).toBe('sent');
  expect(issueStatus(id)).toBe('sent');
  expect(sink.accepted.get('busy@example.org')).toBe(1);
  expect(sink.accepted.get('nobody@example.org')).toBeUndefined();
  expect(log.text()).toContain('review refused for good; address marked bounced');
  const admin = cheerio.load((await getAs(site, editor, `/admin/newsletters/${id}`)).text);
  expect(admin('#progress-failed').text()).toBe('1');

  // The next issue does not go to the bounced address at all.
  const next = await composeAndSend('2026-01-09');
  const again = newSender();
  await again.tick();
  await again.stop();
  expect(Object.keys(ledger(next)).sort()).toEqual(['busy@example.org', 'fine@example.org']);
});

test('someone who unsubscribes while the review is going out gets nothing more', async () => {
  const addresses = Array.from({ length: 30 }, (_, i) => `reader${String(i).padStart(2, '0')}@example.org`);
  const ids = addresses.map((email) => addSubscriber(email, 'confirmed'));
  const last = ids[ids.length - 1]!;
  const token = new FormTokens(loadOrCreateSecret(site.db, site.config.secretKey)).unsubscribeToken(last, addresses[addresses.length - 1]!);
  // The first mail accepted: the last reader clicks unsubscribe, through the site.
  let clicked: Promise<unknown> | null = null;
  sinkOptions.onAccepted = () => {
    clicked ??= request(site.app).post(`/subscribe/unsubscribe?token=${token}`).type('form').send('List-Unsubscribe=One-Click').then();
  };
  const id = await composeAndSend('2026-01-01');
  const sender = newSender(1);
  await sender.tick();
  await sender.stop();
  await clicked;
  expect(issueStatus(id)).toBe('sent');
  expect(ledger(id)[addresses[addresses.length - 1]!]).toBe('skipped');
  expect(sink.accepted.get(addresses[addresses.length - 1]!)).toBeUndefined();
  expect([...sink.accepted.values()].reduce((a, b) => a + b, 0)).toBe(29);
});

test('the review goes out no faster than the configured rate', async () => {
  const addresses = Array.from({ length: 45 }, (_, i) => `paced${i}@example.org`);
  for (const email of addresses) addSubscriber(email, 'confirmed');
  await composeAndSend('2026-01-02');
  const sender = newSender(4, 20); // 20 mails a second
  const started = Date.now();
  await sender.tick();
  await sender.stop();
  const seconds = (Date.now() - started) / 1000;
  expect([...sink.accepted.values()].reduce((a, b) => a + b, 0)).toBe(45);
  // 45 mails at 20 a second: the third second's window is needed (at least 2 s).
  expect(seconds).toBeGreaterThanOrEqual(2);
});
