import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/**
 * Gives a request its id (which the caller sends as X-Request-Id, so that a reader's report can be
 * matched to the log) and logs one line when the response is finished: method, path, status and
 * duration. The front door calls it for every request, whoever answers it.
 */
/** What a request id from a proxy may look like: a UUID, a trace id, nothing a log could misread. */
const FORWARDED_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * The request's id: the one a trusted proxy (TRUST_PROXY) sent in X-Request-Id, so that its logs
 * and ours name the same request, or a new one. From anyone else the header is ignored.
 */
export function requestIdFor(req: IncomingMessage, fromTrustedProxy: boolean): string {
  const forwarded = req.headers['x-request-id'];
  return fromTrustedProxy && typeof forwarded === 'string' && FORWARDED_REQUEST_ID.test(forwarded) ? forwarded : randomUUID();
}

export function startRequestLog(logger: Logger, req: IncomingMessage, res: ServerResponse, path: string, fromTrustedProxy = false): string {
  const started = process.hrtime.bigint();
  const requestId = requestIdFor(req, fromTrustedProxy);
  res.on('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info(
      { reqId: requestId, method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 },
      'request',
    );
  });
  return requestId;
}
