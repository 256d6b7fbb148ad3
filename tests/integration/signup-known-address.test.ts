import request from 'supertest';
import { openSubscribeForm, postSignup, validFields } from '../helpers/signup-form';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox';
import { createTestSite, type TestSite } from '../helpers/test-site';

// A stranger can post the sign-up form (with the panel's shared token, curl can send
// Sec-Fetch-Site) for any address. For an address we already know, that post must change nothing
// by itself: the owner gets exactly one mail, and only their click applies anything.

let inbox: SmtpInbox;
let site: TestSite;
beforeAll(async () => {
  inbox = await startSmtpInbox();
  site = await createTestSite({ env: { SMTP_URL: inbox.url, TRUST_PROXY: 'loopback' } });
});
afterAll(async () => {
  await site.close();
  await inbox.close();
});

type Row = Record<string, unknown>;
const subscription = (email: string) => site.db.prepare('SELECT * FROM subscriptions WHERE lower(email) = lower(?)').get(email) as Row;
const consents = (id: unknown) => site.db.prepare('SELECT * FROM consents WHERE subscription_id = ? ORDER BY id').all(id) as Row[];
const mailsTo = (email: string) => inbox.messages.filter((m) => (m.to as { text: string }).text.toLowerCase() === email.toLowerCase());
const tokenIn = (text: string) => /\/subscribe\/confirm\?token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
async function settle(): Promise<void> {
  await site.mailSender.wake();
  await new Promise((resolve) => setTimeout(resolve, 200));
}
async function confirm(token: string) {
  const session = await openSubscribeForm(site);
  return request(site.app)
    .post('/subscribe/confirm')
    .set('Cookie', session.cookie)
    .set('Sec-Fetch-Site', 'same-origin')
    .type('form')
    .send({ token, _csrf: session.csrf });
}

test('an unsubscribed address posted by a stranger stays unsubscribed, with its data and consents, and gets one mail', async () => {
  const email = 'Ann.Example@example.org';
  await postSignup(site, validFields({ email, name: 'Ann', plan: 'digital' }));
  await settle();
  const id = subscription(email).id;
  site.db.prepare("UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = '2026-01-10T00:00:00.000Z' WHERE id = ?").run(id);
  const before = { row: subscription(email), consents: consents(id) };
  const mailsBefore = mailsTo(email).length;

  const answer = await postSignup(site, validFields({ email: 'ANN.EXAMPLE@EXAMPLE.ORG', name: 'Stranger', plan: 'print' }));
  expect(answer.status).toBe(303);
  expect(answer.headers.location).toBe('/subscribe/thanks');
  await settle();

  expect(subscription(email)).toEqual(before.row);
  expect(consents(id)).toEqual(before.consents);
  expect(mailsTo(email)).toHaveLength(mailsBefore + 1);

  // The owner confirms from that mail: only then does it apply, with the consent it records.
  const mail = mailsTo(email).at(-1)!;
  expect((await confirm(tokenIn(mail.text!))).status).toBe(303);
  expect(subscription(email)).toMatchObject({ status: 'confirmed', name: 'Stranger', plan_code: 'print', unsubscribed_at: null });
  expect(consents(id)).toHaveLength(before.consents.length + 1);
});

test("a pending address posted by a stranger keeps its details and its owner's confirmation link", async () => {
  const email = 'pending.owner@example.org';
  await postSignup(site, validFields({ email, name: 'Owner', plan: 'digital' }));
  await settle();
  const ownersToken = tokenIn(mailsTo(email)[0]!.text!);
  const before = subscription(email);

  await postSignup(site, validFields({ email, name: 'Stranger', plan: 'print' }));
  await settle();
  expect(subscription(email)).toEqual(before);
  expect(consents(before.id)).toHaveLength(1);
  expect(mailsTo(email)).toHaveLength(2);

  // The owner's first link still works, with the owner's details.
  expect((await confirm(ownersToken)).status).toBe(303);
  expect(subscription(email)).toMatchObject({ status: 'confirmed', name: 'Owner', plan_code: 'digital' });
});

test('a confirmed address gets "already subscribed", or a mail to confirm new details, and changes nothing', async () => {
  const email = 'member.owner@example.org';
  await postSignup(site, validFields({ email, name: 'Member', plan: 'digital' }));
  await settle();
  expect((await confirm(tokenIn(mailsTo(email)[0]!.text!))).status).toBe(303);
  await settle();
  const before = subscription(email);
  const sent = mailsTo(email).length;

  await postSignup(site, validFields({ email, name: 'Member', plan: 'digital' }));
  await settle();
  expect(mailsTo(email)).toHaveLength(sent + 1);
  expect(mailsTo(email).at(-1)!.subject).toMatch(/already subscribed/);

  await postSignup(site, validFields({ email, name: 'Someone else', plan: 'print' }));
  await settle();
  expect(mailsTo(email)).toHaveLength(sent + 2);
  expect(mailsTo(email).at(-1)!.subject).toMatch(/^Confirm the new details/);
  expect(subscription(email)).toEqual(before);
});
