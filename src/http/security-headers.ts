import type { RequestHandler } from 'express';
import helmet from 'helmet';

// The site runs no script of its own at all, so the policy allows none: no 'unsafe-inline', no
// nonces. (JSON-LD blocks are data, not script; browsers do not execute them.)
const contentSecurityPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: null,
  },
});

const PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';

/** Security headers for every response. HSTS only when the request came over HTTPS. */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: false,
      hsts: false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      crossOriginEmbedderPolicy: false,
    }),
    contentSecurityPolicy,
    (req, res, next) => {
      res.set('Permissions-Policy', PERMISSIONS_POLICY);
      if (req.secure) res.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
      next();
    },
  ];
}
