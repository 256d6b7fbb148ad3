import type { Request, Response } from 'express';
import { ForbiddenError } from '../errors';
import type { FormTokens, TokenCheck } from './form-tokens';

// Checks shared by every form post: where it came from and its `_csrf` token.

const NONCE_COOKIE_SECURE = '__Host-csrf';
const NONCE_COOKIE_PLAIN = 'csrf';

function cookieName(req: Request): string {
  return req.secure ? NONCE_COOKIE_SECURE : NONCE_COOKIE_PLAIN;
}

/** The value of one cookie from the Cookie header (no cookie library needed for one value). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index !== -1 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The reader's form nonce, set as an HttpOnly cookie when they have none yet. */
export function ensureFormNonce(req: Request, res: Response, tokens: FormTokens): string {
  const existing = readCookie(req, cookieName(req));
  if (existing && /^[A-Za-z0-9_-]{24}$/.test(existing)) return existing;
  const nonce = tokens.newNonce();
  res.cookie(cookieName(req), nonce, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
  return nonce;
}

/**
 * Where the browser says the post came from: Sec-Fetch-Site when sent, else Origin. 'same' only
 * for this very origin; a sibling subdomain ('same-site') or no header at all is 'unknown'.
 */
function postOrigin(req: Request, siteUrl: string): 'same' | 'cross' | 'unknown' {
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite) return fetchSite === 'same-origin' ? 'same' : fetchSite === 'cross-site' ? 'cross' : 'unknown';
  const origin = req.get('origin');
  if (!origin) return 'unknown';
  const ownOrigins = [new URL(siteUrl).origin, `${req.protocol}://${req.get('host')}`];
  // An opaque origin ("null": sandboxed frames, data: URLs) is never our own page.
  return ownOrigins.includes(origin) ? 'same' : 'cross';
}

/** Refuses posts that a browser marks as cross-site, or whose Origin is another site. */
export function refuseCrossSite(req: Request, siteUrl: string): void {
  if (postOrigin(req, siteUrl) === 'cross') throw new ForbiddenError('This form can only be sent from our own pages.');
}

/**
 * Checks the `_csrf` field. The panel's shared token is accepted only when the browser positively
 * says the post is same-origin, since it is not bound to the reader.
 */
export function checkFormToken(
  req: Request,
  tokens: FormTokens,
  siteUrl: string,
  options: { allowPanelToken: boolean; nowMs: number },
): TokenCheck & { ok: true } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const result = tokens.check(body._csrf, readCookie(req, cookieName(req)), options.nowMs);
  if (!result.ok) {
    throw new ForbiddenError(
      result.reason === 'expired'
        ? 'This form has expired. Please go back, reload the page and try again.'
        : 'This form could not be verified. Please go back, reload the page and try again.',
    );
  }
  if (result.kind === 'panel' && (!options.allowPanelToken || postOrigin(req, siteUrl) !== 'same')) {
    throw new ForbiddenError('This form could not be verified. Please go back, reload the page and try again.');
  }
  return result;
}
