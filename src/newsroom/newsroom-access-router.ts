import express, { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { ForbiddenError } from '../errors';
import { readCookie, refuseCrossSite } from '../http/form-guards';
import { sessionCookieName } from './newsroom-request';

// The gate in front of everything under /admin: private, unindexed answers; the session from its
// cookie; sign-in required except on the sign-in and first-password pages; and on every post, a
// same-origin check and the session's form token. The newsroom's other routers come after it and
// find the session with `newsroomSession(res.locals)` (newsroom-request.ts).

const OPEN_PATHS = /^\/(login|welcome\/[^/]+)\/?$/;
export function createNewsroomAccessRouter(deps: AppDeps): Router {
  const router = Router();
  const formBody = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 200 });

  router.use('/admin', (req, res, next) => {
    // Never stored by a browser, a proxy or the page cache, never indexed (framing is refused for
    // every page by the security headers).
    res.set({ 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' });
    res.locals.privatePage = true;
    if (req.method === 'POST' && req.is('application/x-www-form-urlencoded')) return formBody(req, res, next);
    next();
  });

  router.use('/admin', (req, res, next) => {
    const session = deps.newsroom.sessions.find(readCookie(req, sessionCookieName(req.secure)), deps.nowMs());
    res.locals.newsroomSession = session;
    if (OPEN_PATHS.test(req.path)) return next();
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        return res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`);
      }
      throw new ForbiddenError('Your newsroom session has ended. Sign in again, then send this again.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuseCrossSite(req, deps.page.config.siteUrl);
      // A file upload (multipart) is read by its own route, after this check: its form carries the
      // token in its action's query string instead.
      const token = req.is('multipart/form-data') ? req.query._csrf : (req.body as Record<string, unknown> | undefined)?._csrf;
      if (!deps.newsroom.sessions.checkCsrf(session, token)) {
        throw new ForbiddenError('This form could not be verified. Please go back, reload the page and try again.');
      }
    }
    next();
  });
  return router;
}
