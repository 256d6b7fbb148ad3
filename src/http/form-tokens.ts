import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Form protection that keeps article pages cacheable:
//
// - Pages that are per-reader anyway (/subscribe, the confirmation page) carry a signed
//   double-submit token: a random nonce in an HttpOnly cookie, and in the form the time it was
//   issued signed together with that nonce. It also tells how long the reader took to submit.
// - The offer panel sits on article pages that every reader shares through caches, so it carries a
//   site token instead: the same for everyone for a few hours, signed, not per reader. Posts with
//   it are accepted only with a same-origin Origin or Sec-Fetch-Site header, which every current
//   browser sends with a form post; that check is what stops cross-site forgery there.

const PANEL_TOKEN_HOURS = 6;
/** How long the offer panel's shared token lasts: pages with the panel change with it. */
export const TOKEN_PERIOD_MS = PANEL_TOKEN_HOURS * 3_600_000;
/** The panel token period a time falls in: part of every shared page's freshness (page cache, layout, Last-Modified). */
export const tokenPeriod = (nowMs: number): number => Math.floor(nowMs / TOKEN_PERIOD_MS);
const PAGE_TOKEN_MAX_AGE_S = 24 * 60 * 60;

const base64url = (buffer: Buffer) => buffer.toString('base64url');

export type TokenCheck =
  { ok: true; kind: 'page'; ageSeconds: number } | { ok: true; kind: 'panel' } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export class FormTokens {
  /** The panel token of the latest period asked for: every page built in that period carries it. */
  private panel = { period: NaN, token: '' };

  constructor(private readonly secret: Buffer) {}

  private sign(purpose: string, value: string): string {
    return base64url(createHmac('sha256', this.secret).update(`${purpose}:${value}`).digest()).slice(0, 32);
  }

  newNonce(): string {
    return base64url(randomBytes(18));
  }

  /** The `_csrf` value for a per-reader form, bound to the nonce in the reader's cookie. */
  pageToken(nonce: string, nowMs: number): string {
    const issued = Math.floor(nowMs / 1000).toString(36);
    return `${issued}.${this.sign('page', `${nonce}:${issued}`)}`;
  }

  /** The `_csrf` value for the offer panel: the same for every reader during a time bucket. */
  panelToken(nowMs: number): string {
    // Signed once a period, not for every page that shows the panel (an HMAC, some 50 µs of a
    // search results page's time on the main thread).
    const period = tokenPeriod(nowMs);
    if (period !== this.panel.period) {
      const bucket = period.toString(36);
      this.panel = { period, token: `p.${bucket}.${this.sign('panel', bucket)}` };
    }
    return this.panel.token;
  }

  check(token: unknown, cookieNonce: string | undefined, nowMs: number): TokenCheck {
    if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
    const parts = token.split('.');
    if (parts.length === 3 && parts[0] === 'p') {
      const bucket = parseInt(parts[1]!, 36);
      const current = tokenPeriod(nowMs);
      if (!safeEqual(parts[2]!, this.sign('panel', parts[1]!))) return { ok: false, reason: 'invalid' };
      // The current bucket and the one before, so a page cached just before a change still works.
      return bucket === current || bucket === current - 1 ? { ok: true, kind: 'panel' } : { ok: false, reason: 'expired' };
    }
    if (parts.length !== 2 || !cookieNonce) return { ok: false, reason: cookieNonce ? 'invalid' : 'missing' };
    if (!safeEqual(parts[1]!, this.sign('page', `${cookieNonce}:${parts[0]}`))) return { ok: false, reason: 'invalid' };
    const ageSeconds = nowMs / 1000 - parseInt(parts[0]!, 36);
    if (ageSeconds > PAGE_TOKEN_MAX_AGE_S || ageSeconds < -60) return { ok: false, reason: 'expired' };
    return { ok: true, kind: 'page', ageSeconds };
  }

  /** A link token that shows story `articleId` as it will look, to anyone holding it, until `expiresMs`. */
  previewToken(articleId: number, expiresMs: number): string {
    const payload = `${articleId.toString(36)}.${Math.floor(expiresMs / 1000).toString(36)}`;
    return `${payload}.${this.sign('preview', payload)}`;
  }

  /** The story a preview token names, 'expired' past its time, or null when it is not one of ours. */
  verifyPreviewToken(token: string, nowMs: number): { articleId: number; expiresMs: number } | 'expired' | null {
    const match = /^([0-9a-z]{1,8})\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{32})$/.exec(token);
    if (!match || !safeEqual(match[3]!, this.sign('preview', `${match[1]}.${match[2]}`))) return null;
    const expiresMs = parseInt(match[2]!, 36) * 1000;
    return expiresMs < nowMs ? 'expired' : { articleId: parseInt(match[1]!, 36), expiresMs };
  }

  /** A keyed hash of an IP address for consent records: it can be matched, not reversed. */
  hashIp(ip: string): string {
    return createHmac('sha256', this.secret).update(`ip:${ip}`).digest('hex');
  }

  /** An unsubscribe token for a subscription: signed, so it needs no storage and never expires. */
  unsubscribeToken(subscriptionId: number, email: string): string {
    return `${subscriptionId.toString(36)}.${this.sign('unsubscribe', `${subscriptionId}:${email}`)}`;
  }

  /** The subscription id an unsubscribe token names, if the signature holds for that address. */
  verifyUnsubscribeToken(token: string, emailOf: (id: number) => string | undefined): number | null {
    const [idPart, signature, ...rest] = token.split('.');
    if (!idPart || !signature || rest.length > 0 || !/^[0-9a-z]{1,10}$/.test(idPart)) return null;
    const id = parseInt(idPart, 36);
    const email = emailOf(id);
    if (email === undefined) return null;
    return safeEqual(signature, this.sign('unsubscribe', `${id}:${email}`)) ? id : null;
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A single-use token for an emailed link, and the hash that is all the database keeps of it. */
export function newConfirmationToken(): { token: string; hash: string } {
  const token = base64url(randomBytes(32));
  return { token, hash: hashConfirmationToken(token) };
}

export const hashConfirmationToken = (token: string): string => createHash('sha256').update(token).digest('hex');
