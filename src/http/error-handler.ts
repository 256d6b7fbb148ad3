import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, NotFoundError, TooManyRequestsError } from '../errors';
import { buildErrorPage } from '../site/error-page';
import { LAYOUT_CACHE_KEYS } from '../site/view-models';
import type { AppDeps } from '../app-deps';

type ErrorAnswer = { status: number; title: string; message: string; details: readonly string[] };

// Errors raised by Express's own body and URL parsing carry a status; these are their words.
const PARSER_ANSWERS: Record<number, Omit<ErrorAnswer, 'details'>> = {
  400: { status: 400, title: 'Bad request', message: 'The request could not be understood.' },
  413: { status: 413, title: 'Request too large', message: 'That request was too large.' },
  415: { status: 415, title: 'Unsupported content type', message: 'That kind of request body is not accepted here.' },
};

const INTERNAL: ErrorAnswer = {
  status: 500,
  title: 'Something went wrong',
  message: 'Something went wrong on our side. Please try again in a moment.',
  details: [],
};

// SQLite errors that mean the database cannot take writes (full disk, read-only file, I/O
// trouble, another process holding a lock too long): the reader gets a 503, not a 500.
const UNAVAILABLE_CODES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|NOMEM)/;
const UNAVAILABLE: ErrorAnswer = {
  status: 503,
  title: 'Temporarily unavailable',
  message: 'We cannot save anything right now. Please try again in a little while; reading the site still works.',
  details: [],
};

function answerFor(error: unknown): ErrorAnswer {
  if (error instanceof HttpError) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return UNAVAILABLE;
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { ...(PARSER_ANSWERS[status] ?? { status, title: 'Bad request', message: 'The request could not be handled.' }), details: [] };
  }
  if (error instanceof URIError) return { ...PARSER_ANSWERS[400]!, details: [] };
  return INTERNAL;
}

/** The last route: anything no router answered is a 404 page. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/**
 * The one error handler: maps known errors to their status and renders the error page in the
 * site's layout. Nothing about the error itself (stack, SQL, file paths) reaches the page; 5xx
 * are logged with the request id so that an operator can find them.
 */
export function createErrorHandler(deps: AppDeps): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const answer = answerFor(error);
    // A 503 the site chose (search refusing work past its capacity) is no failure of the site.
    if ((error as { deliberate?: boolean }).deliberate) {
      deps.logger.warn(
        { reqId: res.locals.requestId, method: req.method, path: req.path, reason: (error as Error).message },
        'request refused',
      );
    } else if (answer.status >= 500) {
      // The path only: a query string can hold a reader's token (/subscribe/confirm?token=...).
      deps.logger.error({ err: error, reqId: res.locals.requestId, method: req.method, path: req.path }, 'request failed');
    }
    res.status(answer.status);
    // The newsroom's pages (res.locals.privatePage) stay private even when they fail.
    const privatePage = res.locals.privatePage === true;
    res.set('Cache-Control', privatePage ? 'private, no-store' : answer.status === 404 ? 'public, max-age=60' : 'no-store');
    if (error instanceof TooManyRequestsError) res.set('Retry-After', String(error.retryAfterSeconds));
    if (answer.status === 503) res.set('Retry-After', String((error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 60));
    // The error itself is shown to a developer: in development, and to this machine only, so that
    // a development server reachable from elsewhere does not show its stack to strangers.
    const fromThisMachine =
      /^(127\.|::1$|::ffff:127\.)/.test(req.socket.remoteAddress ?? '') && req.headers['x-forwarded-for'] === undefined;
    const view = buildErrorPage(deps.page, answer, deps.now(), fromThisMachine ? error : undefined);
    // A cache node keeps a 404 for a minute: a story arriving at that address purges it (src/edge/).
    if (answer.status === 404 && !privatePage) {
      res.set('Surrogate-Key', ['not-found', ...view.recent.map((story) => story.cacheKey), ...LAYOUT_CACHE_KEYS].join(' '));
    }
    res.render('errors/error', { view }, (renderError: Error | null, html?: string) => {
      if (renderError) {
        deps.logger.error({ err: renderError, reqId: res.locals.requestId }, 'error page failed to render');
        res.type('text/plain').send(`${answer.title}\n`);
        return;
      }
      res.type('html').send(html);
    });
  };
}
