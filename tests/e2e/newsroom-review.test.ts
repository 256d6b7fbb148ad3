import { startSmtpSink, type SmtpSink } from '../../bench/smtp-sink';
import { seriousViolations } from './axe';
import { newPage, startBrowserSite, type BrowserSite } from './browser';
import { addAccountFromShell, signInToNewsroom } from './newsroom-accounts';

// The weekly review in Chromium, found by SITE.md's labels: an editor composes an issue from the
// week's stories, reorders it, leaves a story out and writes the introduction, previews it, sends
// a test to their own address (a real SMTP server on loopback receives it) and schedules it.

let site: BrowserSite;
let sink: SmtpSink;
const EDITOR = { email: 'editor@news.example', password: 'the editor password here' };

beforeAll(async () => {
  sink = await startSmtpSink({ parse: true });
  site = await startBrowserSite({ SMTP_URL: sink.url });
  const added = addAccountFromShell(site, EDITOR, 'editor');
  expect(added.stdout).toContain(`Added ${EDITOR.email} as editor`);
}, 60_000);
afterAll(async () => {
  await site?.close();
  await sink?.close();
});

test('an editor composes the review, previews it, mails a test to themselves and schedules it', async () => {
  const { context, page } = await newPage(site, { bypassCSP: true });
  await signInToNewsroom(page, EDITOR);
  await page.getByRole('link', { name: 'Weekly review' }).click();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'New issue' }).click();
  await page.getByLabel('Issue date').fill('2013-06-30');
  await page.getByLabel('Subject').fill('The week: Korea, Europe and the Boston relay');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Compose issue' }).click();
  await page.getByRole('heading', { name: 'The weekly review of 2013-06-30' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);

  // The week's stories, in order; the editor moves the last one first and leaves the second out.
  const rows = page.locator('.newsroom-issue-stories tbody tr');
  const count = await rows.count();
  expect(count).toBeGreaterThan(2);
  const headlines = await rows.locator('td:nth-child(2)').allTextContents();
  await page.getByLabel(`Order of “${headlines[count - 1]}”`).fill('0');
  await page.getByLabel(`Leave out “${headlines[1]}”`).check();
  await page.getByLabel('Introduction').fill('Talks, trials and a long run for Boston.\n\nRead on.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await expect(rows.first().locator('td:nth-child(2)').textContent()).resolves.toBe(headlines[count - 1]);

  // The preview: the mail as readers will get it.
  await page.getByRole('link', { name: 'Preview in the browser' }).click();
  await page.getByText('Talks, trials and a long run for Boston.').waitFor();
  await expect(page.getByRole('link', { name: 'View in your browser' }).isVisible()).resolves.toBe(true);
  const previewText = await page.locator('body').textContent();
  expect(previewText).toContain(headlines[count - 1]);
  expect(previewText).not.toContain(headlines[1]);
  expect(previewText!.indexOf(headlines[count - 1]!)).toBeLessThan(previewText!.indexOf(headlines[0]!));
  await page.goBack();

  // A test to the editor's own address, through real SMTP.
  await page.getByRole('button', { name: 'Send test to me' }).click();
  await page.getByRole('status').filter({ hasText: 'test copy' }).waitFor();
  const deadline = Date.now() + 15_000;
  while (!sink.mails.some((mail) => mail.subject === '[Test] The week: Korea, Europe and the Boston relay') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const test = sink.mails.find((mail) => mail.subject === '[Test] The week: Korea, Europe and the Boston relay')!;
  expect((test.to as { text: string }).text).toBe(EDITOR.email);
  expect(test.text).toContain('Talks, trials and a long run for Boston.');
  expect(test.html).toContain(headlines[count - 1]!.replace(/'/g, '&#39;'));

  // Scheduled for tomorrow: the page says so, and the list too.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
  await page.getByLabel('Send at').fill(tomorrow);
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('status').filter({ hasText: 'Scheduled' }).waitFor();
  await expect(page.locator('.newsroom-meta').textContent()).resolves.toContain(`Scheduled for ${tomorrow.replace('T', ' ')} UTC`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Weekly review' }).click();
  await expect(page.getByRole('row').filter({ hasText: '2013-06-30' }).textContent()).resolves.toContain('Scheduled');
  // Nothing went to subscribers: only the test was mailed.
  expect(sink.mails.filter((mail) => !String(mail.subject).startsWith('[Test]'))).toEqual([]);
  await context.close();
}, 90_000);
