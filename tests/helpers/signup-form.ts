import * as cheerio from 'cheerio';
import request from 'supertest';
import { loadOrCreateSecret } from '../../src/site/settings-repository';
import { FormTokens } from '../../src/http/form-tokens';
import type { TestSite } from './test-site';

let ipCounter = 0;
/** A different client address for each call (the test site trusts X-Forwarded-For from loopback). */
export const nextIp = (): string => `203.0.113.${(ipCounter = (ipCounter % 250) + 1)}`;

export type FormSession = { cookie: string; csrf: string };

/** Opens /subscribe like a browser: the cookie it sets and the form's token. */
export async function openSubscribeForm(site: TestSite): Promise<FormSession> {
  const res = await request(site.app).get('/subscribe');
  const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  return { cookie, csrf: cheerio.load(res.text)('#subscribe-form input[name="_csrf"]').val() as string };
}

/** The token of a reader who opened the form `secondsAgo` seconds ago (as if they took that long). */
export function agedToken(site: TestSite, session: FormSession, secondsAgo = 5): string {
  const tokens = new FormTokens(loadOrCreateSecret(site.db, site.config.secretKey));
  return tokens.pageToken(session.cookie.split('=')[1]!, site.now().getTime() - secondsAgo * 1000);
}

export function validFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    email: 'reader@example.com',
    name: 'A Reader',
    plan: 'digital',
    consent: 'yes',
    website: '',
    source: '/subscribe',
    ...overrides,
  };
}

/** POSTs the /subscribe form as a same-origin browser would, with a token from an aged session. */
export async function postSignup(
  site: TestSite,
  fields: Record<string, string> | string,
  options: { ip?: string; session?: FormSession } = {},
) {
  const session = options.session ?? (await openSubscribeForm(site));
  const body = typeof fields === 'string' ? fields : new URLSearchParams({ _csrf: agedToken(site, session), ...fields }).toString();
  return request(site.app)
    .post('/subscribe')
    .set('Cookie', session.cookie)
    .set('Sec-Fetch-Site', 'same-origin')
    .set('X-Forwarded-For', options.ip ?? nextIp())
    .type('form')
    .send(body);
}
