import type { RequestHandler } from 'express';

// The security headers of every response, as one table that both paths read: the middleware
// below for everything Express answers, and the front door for stored stories it answers itself
// (articles/stored-article-answer.ts). They used to come from helmet per response and were copied
// from the last article page a worker served, so a worker's first story took the slow path and a
// header added per request would have reached every reader. These are helmet 8's defaults, kept
// as values so they cannot differ between the paths.

// The site runs no script of its own at all, so the policy allows none: no 'unsafe-inline', no
// nonces. (JSON-LD blocks are data, not script; browsers do not execute them.)
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join(';');

const PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';

const OVER_ANY_SCHEME: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'permissions-policy': PERMISSIONS_POLICY,
});

// HSTS only when the request came over HTTPS: sent over HTTP it would be ignored, and a reader
// who reached the site by plain HTTP on purpose (a test host) would be locked out of it.
const OVER_HTTPS: Readonly<Record<string, string>> = Object.freeze({
  ...OVER_ANY_SCHEME,
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
});

/** The security headers of a response over HTTPS (`secure`) or HTTP, lower-case names. */
export function securityHeaderValues(secure: boolean): Readonly<Record<string, string>> {
  return secure ? OVER_HTTPS : OVER_ANY_SCHEME;
}

/** Security headers for every response Express answers. */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.set(securityHeaderValues(req.secure));
    next();
  };
}

/**
 * For a mail shown as a page (the weekly review's web version and its previews): mail HTML styles
 * itself inline, as mail clients need, and runs nothing. Scripts stay refused.
 */
export const MAIL_PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' https: data:",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join(';');
