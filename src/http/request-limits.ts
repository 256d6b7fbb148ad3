import type { RequestHandler } from 'express';
import { HttpError } from '../errors';

export const MAX_URL_LENGTH = 4096;
const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST', 'OPTIONS']);

class UriTooLongError extends HttpError {
  constructor() {
    super(414, 'Address too long', 'That address is too long for us to handle.');
  }
}

class MethodNotAllowedError extends HttpError {
  constructor() {
    super(405, 'Method not allowed', 'That kind of request is not accepted here.');
  }
}

/** Refuses absurdly long URLs and methods the site never answers, before any work is done. */
export function requestLimits(): RequestHandler {
  return (req, res, next) => {
    if (req.originalUrl.length > MAX_URL_LENGTH) return next(new UriTooLongError());
    if (!ALLOWED_METHODS.has(req.method)) {
      res.set('Allow', 'GET, HEAD, POST');
      return next(new MethodNotAllowedError());
    }
    next();
  };
}
