// Errors that carry the HTTP answer a reader should get. The error handler turns these into a
// page with their status and message; anything else becomes a generic 500 page.
const MESSAGES = {
  badRequest: 'The request could not be understood.',
  notFound: 'We could not find that page.',
  forbidden: 'That request was refused.',
  payloadTooLarge: 'That request was too large.',
  tooManyRequests: 'Too many requests. Please wait a moment and try again.',
  unavailable: 'The site is temporarily unable to handle that request.',
} as const;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string = MESSAGES.badRequest, details: readonly string[] = []) {
    super(400, 'Bad request', message, details);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string = MESSAGES.notFound) {
    super(404, 'Page not found', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string = MESSAGES.forbidden) {
    super(403, 'Forbidden', message);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(message: string = MESSAGES.payloadTooLarge) {
    super(413, 'Request too large', message);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string = MESSAGES.tooManyRequests,
  ) {
    super(429, 'Too many requests', message);
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(message: string = MESSAGES.unavailable) {
    super(503, 'Service unavailable', message);
  }
}
