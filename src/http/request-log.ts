import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/**
 * Gives a request its id (which the caller sends as X-Request-Id, so that a reader's report can be
 * matched to the log) and logs one line when the response is finished: method, path, status and
 * duration. The front door calls it for every request, whoever answers it.
 */
export function startRequestLog(logger: Logger, req: IncomingMessage, res: ServerResponse, path: string): string {
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  res.on('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info(
      { reqId: requestId, method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 },
      'request',
    );
  });
  return requestId;
}
