import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { BadRequestError } from '../errors';
import { signupFormSchema, SIGNUP_FIELDS, sourcePageSchema, type SignupField } from './signup-form';
import { clientSubject, type RateLimit } from '../http/rate-limiter';
import { buildMessagePage, buildSubscribePage, type FieldErrors, type SignupValues } from './subscribe-page';
import type { AppDeps } from '../app-deps';
import { checkFormToken, ensureFormNonce, refuseCrossSite } from '../http/form-guards';

// The sign-up flow's pages (see SITE.md): /subscribe, its thank-you page, the confirmation link's
// page and the unsubscribe page. Every page here carries per-reader state, so none is cacheable.

export const SIGNUPS_PER_IP: RateLimit = { name: 'signup-ip', limit: 20, windowSeconds: 600, scope: 'from your connection' };
/** Less than this between loading the form and sending it is faster than a person types. */
export const MIN_SECONDS_TO_SUBMIT = 2;
const HONEYPOT_FIELD = 'website';

const formBody = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 30 });
const tokenQuery = z.object({ token: z.string({ error: 'must be a single token' }).max(200, 'is too long') });

const emptyValues: SignupValues = { email: '', name: '', plan: '', consent: false };

function typedValues(body: Record<string, unknown>): SignupValues {
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 300) : '');
  return { email: text(body.email), name: text(body.name), plan: text(body.plan), consent: body.consent === 'yes' };
}

export function createSubscribeRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, signups, limiter } = deps;
  const { config, tokens } = page;

  const noStore = (res: Response) => res.set('Cache-Control', 'private, no-store');
  const directory = () => page.content.sectionDirectory();

  function renderForm(
    req: Request,
    res: Response,
    status: number,
    form: { values: SignupValues; errors: FieldErrors; generalError: string | null },
  ) {
    const nonce = ensureFormNonce(req, res, tokens);
    noStore(res);
    res.status(status).render('pages/subscribe', {
      view: buildSubscribePage(page, directory(), { ...form, csrf: tokens.pageToken(nonce, deps.nowMs()) }, deps.now()),
    });
  }

  function renderMessage(req: Request, res: Response, status: number, message: Parameters<typeof buildMessagePage>[2]) {
    noStore(res);
    res.status(status).render('pages/subscribe-message', { view: buildMessagePage(page, directory(), message, deps.now()) });
  }

  router.get('/subscribe', (req, res) => {
    const plan = typeof req.query.plan === 'string' ? req.query.plan : '';
    renderForm(req, res, 200, { values: { ...emptyValues, plan }, errors: {}, generalError: null });
  });

  router.post('/subscribe', formBody, (req, res) => {
    refuseCrossSite(req, config.siteUrl);
    // Per client: an IPv4 address or an IPv6 /64 (clientSubject).
    limiter.consume(SIGNUPS_PER_IP, clientSubject(req.ip ?? 'unknown'), deps.nowMs());
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = checkFormToken(req, tokens, config.siteUrl, { allowPanelToken: true, nowMs: deps.nowMs() });
    if (typeof body[HONEYPOT_FIELD] !== 'string' || body[HONEYPOT_FIELD] !== '') {
      throw new BadRequestError('We could not accept this sign-up.');
    }
    const values = typedValues(body);
    if (token.kind === 'page' && token.ageSeconds < MIN_SECONDS_TO_SUBMIT) {
      return renderForm(req, res, 422, {
        values,
        errors: {},
        generalError: 'That was very quick. Please check your details and send the form again.',
      });
    }
    const parsed = signupFormSchema.safeParse(body);
    const errors: FieldErrors = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as SignupField;
        if (SIGNUP_FIELDS.includes(field) && !errors[field]) errors[field] = issue.message;
      }
    } else if (!signups.planCodes().includes(parsed.data.plan)) {
      errors.plan = 'Choose one of the editions offered';
    }
    if (!parsed.success || Object.keys(errors).length > 0) return renderForm(req, res, 422, { values, errors, generalError: null });

    signups.signUp(parsed.data, { ip: req.ip ?? 'unknown', sourcePage: sourcePageSchema.parse(body.source), now: new Date(deps.nowMs()) });
    // Committed: the thank-you page may be shown, and the mail goes out after it.
    void deps.mailSender.wake();
    res.redirect(303, '/subscribe/thanks');
  });

  router.get('/subscribe/thanks', (req, res) =>
    renderMessage(req, res, 200, {
      path: '/subscribe/thanks',
      heading: 'Check your inbox',
      paragraphs: [
        'Thank you. We have sent a mail to the address you gave. Open the link in it to confirm your subscription.',
        'If it does not arrive within a few minutes, look in your spam folder.',
      ],
    }),
  );

  const invalidLink = {
    path: '/subscribe/confirm',
    heading: 'This link does not work',
    paragraphs: [
      'This confirmation link is not valid, or it has already been used. Nothing has been changed.',
      'You can sign up again on the subscription page.',
    ],
  };
  const expiredLink = {
    path: '/subscribe/confirm',
    heading: 'This link has expired',
    paragraphs: ['Confirmation links work for 48 hours. Nothing has been changed.', 'Please sign up again to get a new link.'],
  };

  router.get('/subscribe/confirm', (req, res) => {
    const parsed = tokenQuery.safeParse(req.query);
    const state = parsed.success ? signups.confirmationState(parsed.data.token, new Date(deps.nowMs())) : 'invalid';
    if (state === 'invalid') return renderMessage(req, res, 400, invalidLink);
    if (state === 'expired') return renderMessage(req, res, 410, expiredLink);
    const nonce = ensureFormNonce(req, res, tokens);
    renderMessage(req, res, 200, {
      path: '/subscribe/confirm',
      heading: 'Confirm your subscription',
      paragraphs: ['Press the button to confirm that you want to receive the weekly review.'],
      action: {
        url: '/subscribe/confirm',
        label: 'Confirm my subscription',
        fields: [
          { name: 'token', value: parsed.success ? parsed.data.token : '' },
          { name: '_csrf', value: tokens.pageToken(nonce, deps.nowMs()) },
        ],
      },
    });
  });

  router.post('/subscribe/confirm', formBody, (req, res) => {
    refuseCrossSite(req, config.siteUrl);
    checkFormToken(req, tokens, config.siteUrl, { allowPanelToken: false, nowMs: deps.nowMs() });
    const token = (req.body as Record<string, unknown>).token;
    const result = typeof token === 'string' ? signups.confirm(token, new Date(deps.nowMs())) : 'invalid';
    if (result === 'expired') return renderMessage(req, res, 410, expiredLink);
    if (result !== 'confirmed') return renderMessage(req, res, 400, invalidLink);
    void deps.mailSender.wake();
    res.redirect(303, '/subscribe/confirmed');
  });

  router.get('/subscribe/confirmed', (req, res) =>
    renderMessage(req, res, 200, {
      path: '/subscribe/confirmed',
      heading: 'You are subscribed',
      paragraphs: ['Thank you for confirming. Your first weekly review arrives this week; we have sent you a welcome mail.'],
    }),
  );

  const badUnsubscribe = {
    path: '/subscribe/unsubscribe',
    heading: 'This link does not work',
    paragraphs: [
      'This unsubscribe link is not valid. Nothing has been changed.',
      'Use the link in the most recent mail you received from us.',
    ],
  };

  router.get('/subscribe/unsubscribe', (req, res) => {
    const parsed = tokenQuery.safeParse(req.query);
    if (!parsed.success || !signups.isValidUnsubscribeToken(parsed.data.token)) return renderMessage(req, res, 400, badUnsubscribe);
    renderMessage(req, res, 200, {
      path: '/subscribe/unsubscribe',
      heading: 'Unsubscribe',
      paragraphs: ['Press the button and you will receive no more mail from us.'],
      action: { url: `/subscribe/unsubscribe?token=${encodeURIComponent(parsed.data.token)}`, label: 'Unsubscribe', fields: [] },
    });
  });

  // One-click unsubscribe (RFC 8058): mail providers POST "List-Unsubscribe=One-Click" to the URL
  // in the List-Unsubscribe header, without cookies or an Origin. The signed token in the URL is
  // the authority here, so this post needs no form token.
  router.post('/subscribe/unsubscribe', formBody, (req, res) => {
    const parsed = tokenQuery.safeParse(req.query);
    if (!parsed.success || !signups.unsubscribe(parsed.data.token, new Date(deps.nowMs())))
      return renderMessage(req, res, 400, badUnsubscribe);
    renderMessage(req, res, 200, {
      path: '/subscribe/unsubscribe',
      heading: 'You are unsubscribed',
      paragraphs: ['You will receive no more mail from us. If you change your mind, you can subscribe again at any time.'],
    });
  });

  return router;
}
