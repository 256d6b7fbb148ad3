import { createMailOutboxRepository } from '../../src/mail/mail-outbox-repository';
import { createLogger } from '../../src/logger';
import { MailSender, retryDelaySeconds } from '../../src/mail/mail-sender';
import { postSignup, validFields } from '../helpers/signup-form';
import { startSmtpInbox } from '../helpers/smtp-inbox';
import { createTestSite } from '../helpers/test-site';

const outboxRows = (site: Awaited<ReturnType<typeof createTestSite>>) =>
  site.db.prepare('SELECT kind, to_address, status, attempts, next_attempt_at, last_error FROM mail_outbox ORDER BY id').all() as {
    kind: string;
    to_address: string;
    status: string;
    attempts: number;
    next_attempt_at: string;
    last_error: string | null;
  }[];

test('without SMTP_URL, mail is kept in the outbox (and never logged)', async () => {
  const site = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
  try {
    expect((await postSignup(site, validFields({ email: 'kept@example.com' }))).status).toBe(303);
    await site.mailSender.wake();
    const [row] = outboxRows(site);
    expect(row).toMatchObject({ kind: 'confirm', to_address: 'kept@example.com', status: 'logged' });
    const text = site.db.prepare('SELECT text_body FROM mail_outbox').pluck().get() as string;
    expect(text).toMatch(/\/subscribe\/confirm\?token=/);
  } finally {
    await site.close();
  }
});

test('mail that fails to send stays in the outbox and is retried with backoff until it goes', async () => {
  const inbox = await startSmtpInbox();
  const site = await createTestSite({ env: { TRUST_PROXY: 'loopback', SMTP_URL: inbox.url } });
  // The second sender's clock starts at the site's, which the site's own sender runs on.
  let clock = site.now().getTime();
  const sender = new MailSender({
    db: site.db,
    logger: createLogger(site.config),
    smtpUrl: inbox.url,
    from: 'news@news.example',
    now: () => new Date(clock),
  });
  try {
    inbox.refuseNext(2);
    // The app's own sender tries at once and is refused once; the sign-up is committed regardless.
    expect((await postSignup(site, validFields({ email: 'retry@example.com' }))).status).toBe(303);
    await site.mailSender.wake();
    let [row] = outboxRows(site);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toMatch(/451/);
    expect(Date.parse(row!.next_attempt_at) - clock).toBeGreaterThanOrEqual(retryDelaySeconds(1) * 1000 - 1000);

    await sender.wake(); // not due yet: nothing happens
    expect(outboxRows(site)[0]!.attempts).toBe(1);

    clock += retryDelaySeconds(1) * 1000 + 1000;
    await sender.wake(); // refused a second time: backs off longer
    [row] = outboxRows(site);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(Date.parse(row!.next_attempt_at) - clock).toBeGreaterThanOrEqual(retryDelaySeconds(2) * 1000 - 1000);

    clock += retryDelaySeconds(2) * 1000 + 1000;
    await sender.wake();
    expect(outboxRows(site)[0]).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    await inbox.waitFor((mail) => (mail.to as { text: string }).text === 'retry@example.com');
    expect(inbox.messages).toHaveLength(1);
  } finally {
    await sender.stop();
    await site.close();
    await inbox.close();
  }
});

test('a mail claimed by a process that died is picked up again after its claim expires', async () => {
  const inbox = await startSmtpInbox();
  const site = await createTestSite({ env: { SMTP_URL: inbox.url } });
  try {
    const outbox = createMailOutboxRepository(site.db);
    const now = new Date();
    outbox.enqueue(
      {
        subscription_id: null,
        kind: 'test',
        to_address: 'claimed@example.com',
        subject: 'Claimed',
        text_body: 't',
        html_body: '<p>t</p>',
        headers: {},
      },
      now.toISOString(),
    );
    // A sender claims it, then "dies" without sending.
    expect(outbox.claimNext(now.toISOString(), new Date(now.getTime() + 1000).toISOString())).toBeDefined();
    const later = new MailSender({
      db: site.db,
      logger: createLogger(site.config),
      smtpUrl: inbox.url,
      from: 'news@news.example',
      now: () => new Date(now.getTime() + 5000),
    });
    await later.wake();
    await later.stop();
    expect(outboxRows(site)[0]).toMatchObject({ status: 'sent' });
    await inbox.waitFor((mail) => mail.subject === 'Claimed');
  } finally {
    await site.close();
    await inbox.close();
  }
});

test('retry delays grow and are capped at an hour', () => {
  expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
  expect(retryDelaySeconds(20)).toBe(3600);
});
