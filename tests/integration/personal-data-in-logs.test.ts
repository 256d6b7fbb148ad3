import request from 'supertest';
import { openSubscribeForm, postSignup, validFields } from '../helpers/signup-form';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox';
import { capturedLog } from '../helpers/captured-log';
import { createTestSite, type TestSite } from '../helpers/test-site';

// Logs are kept, shipped and read by more people than the database, and `subscribers:erase`
// cannot reach them: no address, no token and no mail body may ever be logged.

const tokensIn = (text: string) => [...text.matchAll(/token=([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);

async function walkTheFlow(site: TestSite, email: string, mailText: () => Promise<string[]>) {
  expect((await postSignup(site, validFields({ email }))).status).toBe(303);
  await site.mailSender.wake();
  const [confirmMail] = await mailText();
  const [confirmToken] = tokensIn(confirmMail!);
  expect((await request(site.app).get(`/subscribe/confirm?token=${confirmToken}`)).status).toBe(200);
  const session = await openSubscribeForm(site);
  const confirmed = await request(site.app)
    .post('/subscribe/confirm')
    .set('Cookie', session.cookie)
    .set('Sec-Fetch-Site', 'same-origin')
    .type('form')
    .send({ token: confirmToken, _csrf: session.csrf });
  expect(confirmed.status).toBe(303);
  await site.mailSender.wake();
  const texts = await mailText();
  const unsubscribeToken = tokensIn(texts.at(-1)!).find((t) => t.includes('.'))!;
  expect((await request(site.app).post(`/subscribe/unsubscribe?token=${unsubscribeToken}`).send('List-Unsubscribe=One-Click')).status).toBe(
    200,
  );
  // A token request that fails, logged as an error: the database is gone.
  site.db.close();
  expect((await request(site.app).get(`/subscribe/confirm?token=${confirmToken}`)).status).toBeGreaterThanOrEqual(500);
  return [...texts.flatMap(tokensIn), email, email.toLowerCase(), email.split('@')[0]!];
}

function expectNothingPersonal({ lines, text }: ReturnType<typeof capturedLog>, secrets: string[]) {
  const log = text();
  expect(lines.length).toBeGreaterThanOrEqual(8); // requests, mail and the error were logged
  expect(log).toMatch(/"request failed"/);
  for (const secret of secrets) expect({ secret, found: log.includes(secret) }).toEqual({ secret, found: false });
  expect(log).not.toMatch(/\?token=/);
}

test('without SMTP: a sign-up, a confirmation, an unsubscribe and a failing token request log no address and no token', async () => {
  const log = capturedLog();
  const site = await createTestSite({ env: { TRUST_PROXY: 'loopback' }, logger: log.logger });
  try {
    const mails = async () => site.db.prepare<[], string>('SELECT text_body FROM mail_outbox ORDER BY id').pluck().all();
    const secrets = await walkTheFlow(site, 'Private.Reader@example.org', mails);
    expect(log.text()).toMatch(/mail kept in the outbox/);
    expectNothingPersonal(log, secrets);
  } finally {
    await site.close();
  }
});

test('with SMTP, including a refused delivery: no address and no token in the log', async () => {
  const log = capturedLog();
  const inbox: SmtpInbox = await startSmtpInbox();
  const site = await createTestSite({ env: { TRUST_PROXY: 'loopback', SMTP_URL: inbox.url }, logger: log.logger });
  try {
    inbox.refuseNext(1); // the refusal's text names the recipient in many servers' replies
    const mails = async () => {
      await site.mailSender.wake();
      return inbox.messages.map((m) => m.text!);
    };
    site.db.prepare("UPDATE mail_outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z'").run();
    const secrets = await walkTheFlow(site, 'Smtp.Reader@example.org', async () => {
      // The first attempt was refused: retry it now.
      site.db.prepare("UPDATE mail_outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE status = 'pending'").run();
      await site.mailSender.wake();
      for (let i = 0; i < 20 && inbox.messages.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      return mails();
    });
    expect(log.text()).toMatch(/mail failed; will retry/);
    expectNothingPersonal(log, secrets);
  } finally {
    await site.close();
    await inbox.close();
  }
});
