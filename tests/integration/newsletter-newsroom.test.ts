import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { renderReview } from '../../src/newsletters/review-rendering';
import type { IssueStoryRow } from '../../src/newsletters/newsletters-repository';
import { addNewsroomUser, getAs, postAs, SAME_ORIGIN, signIn, type NewsroomBrowser } from '../helpers/newsroom';
import { createTestSite, type TestSite } from '../helpers/test-site';

// The weekly review's newsroom pages without sending: who may use them, what bad input gets, that
// drafts stay private, the progress stream, and the tracking switch.

let site: TestSite;
let editor: NewsroomBrowser;
let writer: NewsroomBrowser;
let issueId: number;

beforeAll(async () => {
  site = await createTestSite({ env: { SMTP_URL: 'smtp://127.0.0.1:9' } });
  await addNewsroomUser(site, 'editor@news.example', 'editor');
  await addNewsroomUser(site, 'writer@news.example', 'writer');
  editor = await signIn(site, 'editor@news.example');
  writer = await signIn(site, 'writer@news.example');
  const created = await postAs(site, editor, '/admin/newsletters', { issueDate: '2013-06-30', subject: 'The week' });
  expect(created.status).toBe(303);
  issueId = Number(/(\d+)$/.exec(created.headers.location!)![1]);
});
afterAll(() => site.close());

test('writers cannot see or change the review; posts need the form token', async () => {
  for (const path of [
    '/admin/newsletters',
    '/admin/newsletters/new',
    `/admin/newsletters/${issueId}`,
    `/admin/newsletters/${issueId}/preview`,
  ]) {
    expect((await getAs(site, writer, path)).status).toBe(403);
  }
  expect((await postAs(site, writer, '/admin/newsletters', { issueDate: '2013-07-01', subject: 'x' })).status).toBe(403);
  const forged = await request(site.app)
    .post(`/admin/newsletters/${issueId}`)
    .set({ ...SAME_ORIGIN, Cookie: editor.cookie })
    .type('form')
    .send({ subject: 'Hijacked', introduction: '', action: 'send' });
  expect(forged.status).toBe(403);
  expect(site.db.prepare('SELECT status, subject FROM newsletter_issues WHERE id = ?').get(issueId)).toEqual({
    status: 'draft',
    subject: 'The week',
  });
});

test('composing from the week: the top stories first, one a section, then the rest by section', async () => {
  const $ = cheerio.load((await getAs(site, editor, `/admin/newsletters/${issueId}`)).text);
  const sections = $('.newsroom-issue-stories tbody tr td:nth-child(3)')
    .map((_, td) => $(td).text())
    .get();
  expect(sections.length).toBeGreaterThan(2);
  const top = sections.slice(0, new Set(sections).size);
  expect(new Set(top).size).toBe(top.length); // the opening stories come from different sections
});

test('bad input gets a clear 4xx and changes nothing', async () => {
  const cases: [Record<string, string>, number, RegExp][] = [
    [{ issueDate: '2013-02-30', subject: 'x' }, 422, /date of the issue/],
    [{ issueDate: 'next friday', subject: 'x' }, 422, /date of the issue/],
    [{ issueDate: '2013-07-01', subject: '' }, 422, /subject line/],
    [{ issueDate: '2013-06-30', subject: 'Again' }, 409, /already/],
  ];
  for (const [fields, status, message] of cases) {
    const res = await postAs(site, editor, '/admin/newsletters', fields);
    expect(res.status).toBe(status);
    expect(cheerio.load(res.text)('#error-summary').text()).toMatch(message);
  }
  const form = { subject: 'The week', introduction: '' };
  const edits: [Record<string, string>, number, RegExp][] = [
    [{ ...form, action: 'explode' }, 422, /Choose one of the buttons/],
    [{ ...form, action: 'schedule', sendAt: 'soon' }, 422, /2026-12-24T10:00/],
    [{ ...form, action: 'schedule', sendAt: '2000-01-01T10:00' }, 422, /in the future/],
    [{ ...form, subject: 'x'.repeat(201), action: 'save' }, 422, /at most 200/],
  ];
  for (const [fields, status, message] of edits) {
    const res = await postAs(site, editor, `/admin/newsletters/${issueId}`, fields);
    expect(res.status).toBe(status);
    expect(cheerio.load(res.text)('#error-summary').text()).toMatch(message);
  }
  expect((await getAs(site, editor, '/admin/newsletters/abc')).status).toBe(404);
  expect((await getAs(site, editor, '/admin/newsletters/999999')).status).toBe(404);
  expect(site.db.prepare('SELECT count(*) FROM newsletter_issues').pluck().get()).toBe(1);
  expect(site.db.prepare('SELECT status FROM newsletter_issues WHERE id = ?').pluck().get(issueId)).toBe('draft');
});

test('a notice shows only for the names the newsroom sends; any other name shows nothing', async () => {
  const known = cheerio.load((await getAs(site, editor, `/admin/newsletters/${issueId}?done=saved`)).text);
  expect(known('[role="status"]').text()).toContain('Saved.');
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const res = await getAs(site, editor, `/admin/newsletters/${issueId}?done=${name}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/native code|function Object/);
    expect(cheerio.load(res.text)('[role="status"]').length).toBe(0);
  }
});

test('a draft has no public web version; its preview is private and runs no script', async () => {
  expect((await request(site.app).get('/newsletters/2013-06-30')).status).toBe(404);
  expect((await request(site.app).get('/newsletters/not-a-date')).status).toBe(404);
  const preview = await getAs(site, editor, `/admin/newsletters/${issueId}/preview`);
  expect(preview.status).toBe(200);
  expect(preview.headers['cache-control']).toBe('private, no-store');
  expect(preview.headers['content-security-policy']).toContain("default-src 'none'");
  expect(preview.headers['content-security-policy']).not.toContain('script-src');
  const text = await getAs(site, editor, `/admin/newsletters/${issueId}/preview?part=text`);
  expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(text.text).toContain('View in your browser: ');
  // The web version as it will be at /newsletters/2013-06-30: no personal link, a way to subscribe.
  const web = await getAs(site, editor, `/admin/newsletters/${issueId}/preview?part=web`);
  expect(web.status).toBe(200);
  expect(web.headers['cache-control']).toBe('private, no-store');
  expect(cheerio.load(web.text)('link[rel="canonical"]').attr('href')).toBe(`${site.config.siteUrl}/newsletters/2013-06-30`);
  expect(web.text).not.toContain('View in your browser');
});

test('while an issue is sending, the progress stream delivers the figures each second at once, uncompressed', async () => {
  site.db.prepare("UPDATE newsletter_issues SET status = 'sending', started_at = ? WHERE id = ?").run('2013-06-30T10:00:00.000Z', issueId);
  const server = http.createServer(site.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const events: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/admin/newsletters/${issueId}/progress`,
        headers: { Cookie: editor.cookie, 'Accept-Encoding': 'gzip' },
      },
      (res) => {
        expect(res.headers['content-encoding']).toBeUndefined();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          events.push(chunk);
          if (events.length === 2) {
            req.destroy();
            resolve();
          }
        });
      },
    );
    req.on('error', reject);
    // Events held back (in a compression buffer, say) never arrive: fail instead of hanging.
    setTimeout(() => {
      req.destroy();
      reject(new Error(`only ${events.length} events arrived within 5 s`));
    }, 5_000).unref();
  }).finally(() => new Promise((resolve) => server.close(resolve)));
  expect(events[0]).toBe('event: progress\ndata: {"sent":0,"failed":0,"left":0,"skipped":0,"done":false}\n\n');
});

test('the progress stream sends the figures, and ends once the issue is sent', async () => {
  site.db
    .prepare("UPDATE newsletter_issues SET status = 'sent', started_at = ?, finished_at = ?, web_html = '<p>sent</p>' WHERE id = ?")
    .run('2013-06-30T10:00:00.000Z', '2013-06-30T10:05:00.000Z', issueId);
  const res = await getAs(site, editor, `/admin/newsletters/${issueId}/progress`);
  expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(res.text).toBe('event: progress\ndata: {"sent":0,"failed":0,"left":0,"skipped":0,"done":true}\n\n');
  const web = await request(site.app).get('/newsletters/2013-06-30');
  expect(web.status).toBe(200);
  expect(web.headers['cache-control']).toMatch(/^public/);
});

test('links carry campaign parameters only when the operator turns tracking on', () => {
  const story: IssueStoryRow = {
    article_id: 1,
    position: 1,
    left_out: 0,
    headline: 'A story',
    deck: '',
    slug: 'A-story',
    published_at: '2013-06-29T10:00:00.000Z',
    section_id: 1,
    section_path: 'World',
    section_name: 'World',
    hero_photo_id: null,
  };
  const issue = { issue_date: '2013-06-30', subject: 'The week', introduction: '' };
  const off = renderReview({ siteName: 'The Monitor', siteUrl: 'https://news.example', tracking: false }, issue, [story]);
  const on = renderReview({ siteName: 'The Monitor', siteUrl: 'https://news.example', tracking: true }, issue, [story]);
  expect(off.mail_html + off.mail_text).not.toContain('utm_');
  expect(on.mail_html).toContain(
    'https://news.example/World/2013/0629/A-story?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=review-2013-06-30',
  );
  expect(on.mail_text).toContain(
    'https://news.example/World/2013/0629/A-story?utm_source=newsletter&utm_medium=email&utm_campaign=review-2013-06-30',
  );
});
