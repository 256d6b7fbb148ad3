import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { checkFormToken, ensureFormNonce, refuseCrossSite } from '../http/form-guards';
import { clientSubject } from '../http/rate-limiter';
import { newsroomSession, sessionCookieName } from './newsroom-request';
import { buildNewsroomChrome } from './newsroom-chrome';
import { changePasswordFormSchema, fieldErrors, setPasswordFormSchema, signinFormSchema } from './newsroom-forms';

// Signing in and out, choosing a first password from the mailed link, and changing one's own.

/** Where to go after signing in: a newsroom address only, never another site. */
const nextSchema = z
  .string()
  .regex(/^\/admin(?:[/?][A-Za-z0-9/_?=&%.~+-]*)?$/)
  .catch('/admin');

const LOCKED_MESSAGE = (seconds: number) => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many failed sign-ins for this account or from your connection. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
};
const WRONG_MESSAGE = 'The email address or the password is not right.';

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSigninRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, newsroom } = deps;
  const { tokens, config } = page;

  function renderLogin(
    req: Request,
    res: Response,
    status: number,
    form: { email: string; next: string; errors: Record<string, string>; generalError: string | null },
  ) {
    const nonce = ensureFormNonce(req, res, tokens);
    res.status(status).render('newsroom/login', {
      view: { title: 'Sign in', chrome: buildNewsroomChrome(page, null, req.path), csrf: tokens.pageToken(nonce, deps.nowMs()), ...form },
    });
  }

  function renderMessage(
    req: Request,
    res: Response,
    status: number,
    title: string,
    paragraphs: string[],
    link?: { url: string; text: string },
  ) {
    res.status(status).render('newsroom/message', {
      view: { title, paragraphs, link, chrome: buildNewsroomChrome(page, res.locals.newsroomSession ?? null, req.path) },
    });
  }

  router.get('/admin/login', (req, res) => {
    const next = nextSchema.parse(req.query.next);
    if (res.locals.newsroomSession) return res.redirect(303, next);
    renderLogin(req, res, 200, { email: '', next, errors: {}, generalError: null });
  });

  router.post('/admin/login', async (req, res) => {
    refuseCrossSite(req, config.siteUrl);
    checkFormToken(req, tokens, config.siteUrl, { allowPanelToken: false, nowMs: deps.nowMs() });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = nextSchema.parse(body.next);
    const email = text(body.email, 254);
    const parsed = signinFormSchema.safeParse(body);
    if (!parsed.success) return renderLogin(req, res, 422, { email, next, errors: fieldErrors(parsed.error), generalError: null });
    const result = await newsroom.signIn(parsed.data.email, parsed.data.password, clientSubject(req.ip ?? 'unknown'), deps.nowMs());
    if (!result.ok && result.reason === 'locked') {
      res.set('Retry-After', String(result.retryAfterSeconds));
      return renderLogin(req, res, 429, { email, next, errors: {}, generalError: LOCKED_MESSAGE(result.retryAfterSeconds) });
    }
    if (!result.ok) {
      // Each failure past the first few is answered a little later (signin-throttle.ts).
      await sleep(result.delayMs);
      return renderLogin(req, res, 401, { email, next, errors: {}, generalError: WRONG_MESSAGE });
    }
    // A new session id at every sign-in: one planted before it is worth nothing.
    res.cookie(sessionCookieName(req.secure), result.sessionId, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, next);
  });

  router.post('/admin/logout', (req, res) => {
    newsroom.signOut(newsroomSession(res.locals), deps.nowMs());
    res.clearCookie(sessionCookieName(req.secure), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, '/admin/login');
  });

  // The link mailed to someone an admin added: they choose their first password here.
  function renderSetup(req: Request, res: Response, status: number, email: string, errors: Record<string, string>) {
    const nonce = ensureFormNonce(req, res, tokens);
    res.status(status).render('newsroom/set-password', {
      view: {
        title: 'Choose your password',
        intro: `Your newsroom account is ${email}. Choose a password to sign in with.`,
        chrome: buildNewsroomChrome(page, null, req.path),
        csrf: tokens.pageToken(nonce, deps.nowMs()),
        action: req.originalUrl.split('?')[0],
        email,
        askCurrent: false,
        errors,
        generalError: null,
        button: 'Save password',
      },
    });
  }
  const badLink = (req: Request, res: Response, state: 'invalid' | 'expired') =>
    state === 'expired'
      ? renderMessage(req, res, 410, 'This link has expired', [
          'Links to choose a password work for 72 hours. Ask an admin to add you again.',
        ])
      : renderMessage(req, res, 404, 'This link does not work', [
          'It is not a valid link, or it has been used already. Ask an admin for a new one.',
        ]);

  router.get('/admin/welcome/:token', (req, res) => {
    const user = newsroom.setupLinkUser(req.params.token, deps.nowMs());
    if (typeof user === 'string') return badLink(req, res, user);
    renderSetup(req, res, 200, user.email, {});
  });

  router.post('/admin/welcome/:token', async (req, res) => {
    refuseCrossSite(req, config.siteUrl);
    checkFormToken(req, tokens, config.siteUrl, { allowPanelToken: false, nowMs: deps.nowMs() });
    const user = newsroom.setupLinkUser(req.params.token, deps.nowMs());
    if (typeof user === 'string') return badLink(req, res, user);
    const parsed = setPasswordFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderSetup(req, res, 422, user.email, fieldErrors(parsed.error));
    const done = await newsroom.completeSetup(req.params.token, parsed.data.password, deps.nowMs());
    if (typeof done === 'string') return badLink(req, res, done);
    renderMessage(req, res, 200, 'Your password is saved', ['You can sign in now.'], { url: '/admin/login', text: 'Sign in' });
  });

  function renderAccount(req: Request, res: Response, status: number, errors: Record<string, string>) {
    const session = newsroomSession(res.locals);
    res.status(status).render('newsroom/set-password', {
      view: {
        title: 'Your account',
        intro: `You are signed in as ${session.user.email} (${session.user.role}). Changing your password signs you out everywhere else.`,
        chrome: buildNewsroomChrome(page, session, req.path),
        csrf: session.csrfToken,
        action: '/admin/account',
        email: session.user.email,
        askCurrent: true,
        errors,
        generalError: null,
        button: 'Change password',
      },
    });
  }

  router.get('/admin/account', (req, res) => renderAccount(req, res, 200, {}));

  router.post('/admin/account', async (req, res) => {
    const session = newsroomSession(res.locals);
    const parsed = changePasswordFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderAccount(req, res, 422, fieldErrors(parsed.error));
    const result = await newsroom.changePassword(session, parsed.data.current, parsed.data.password, deps.nowMs());
    if (result === 'wrong password') return renderAccount(req, res, 422, { current: 'That is not your current password' });
    renderMessage(req, res, 200, 'Your password is changed', ['Every other session of yours has ended.'], {
      url: '/admin',
      text: 'Back to the newsroom',
    });
  });

  return router;
}
