import * as cheerio from 'cheerio';
import request from 'supertest';
import { createNewsroomAccounts } from '../../src/newsroom/newsroom-accounts';
import type { Role } from '../../src/newsroom/newsroom-users-repository';
import type { TestSite } from './test-site';

// Newsroom sessions in tests, as a browser has them: the sign-in form's cookie and token, then
// the session cookie and the session's form token (read from the "Sign out" form).

export type NewsroomBrowser = { cookie: string; csrf: string };

/** The same-origin headers a browser sends with a form post from the site's own page. */
export const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' } as const;

export async function addNewsroomUser(site: TestSite, email: string, role: Role, password = 'a long enough password'): Promise<void> {
  const accounts = createNewsroomAccounts(site.db, { siteUrl: site.config.siteUrl, siteName: site.config.siteName });
  await accounts.addWithPassword(email, role, password, site.now().toISOString());
}

/** Opens the sign-in page: the form cookie it sets and the form's token. */
export async function openSigninForm(site: TestSite, headers: Record<string, string> = {}): Promise<{ cookie: string; csrf: string }> {
  const res = await request(site.app).get('/admin/login').set(headers);
  const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  return { cookie, csrf: cheerio.load(res.text)('form[action="/admin/login"] input[name="_csrf"]').val() as string };
}

/** Posts the sign-in form; the raw answer. */
export async function postSignin(site: TestSite, email: string, password: string, headers: Record<string, string> = {}) {
  const form = await openSigninForm(site, headers);
  return request(site.app)
    .post('/admin/login')
    .set({ ...SAME_ORIGIN, ...headers, Cookie: form.cookie })
    .type('form')
    .send({ _csrf: form.csrf, email, password, next: '/admin' });
}

/** Signs in and returns the session cookie and its form token. */
export async function signIn(
  site: TestSite,
  email: string,
  password = 'a long enough password',
  headers: Record<string, string> = {},
): Promise<NewsroomBrowser> {
  const res = await postSignin(site, email, password, headers);
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}: ${res.text.slice(0, 300)}`);
  const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => /^(__Host-)?newsroom=/.test(c))!.split(';')[0]!;
  const home = await request(site.app)
    .get('/admin')
    .set({ ...headers, Cookie: cookie });
  return { cookie, csrf: cheerio.load(home.text)('form[action="/admin/logout"] input[name="_csrf"]').val() as string };
}

/** Posts a newsroom form with the session's token, as the browser would. */
export function postAs(
  site: TestSite,
  browser: NewsroomBrowser,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return request(site.app)
    .post(path)
    .set({ ...SAME_ORIGIN, ...headers, Cookie: browser.cookie })
    .type('form')
    .send({ _csrf: browser.csrf, ...fields });
}

export const getAs = (site: TestSite, browser: NewsroomBrowser, path: string) => request(site.app).get(path).set('Cookie', browser.cookie);
