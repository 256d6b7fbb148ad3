import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import fresh from 'fresh';

// A request as the front door (front-door.ts) sees it, before Express: what the answers given
// there need to know about it, worked out once, and the one way they send a page.

export type FrontRequest = {
  req: IncomingMessage;
  res: ServerResponse;
  /** The request target as sent ("/path?query"): the page cache's key. */
  url: string;
  /** The path without the query, as Express's req.path gives it; null when the target is not "/...". */
  path: string | null;
  /** Whether the reader came over HTTPS, as Express's req.secure decides it (trust proxy included). */
  secure: boolean;
};

/** Decides "secure" the way Express does: the socket, or X-Forwarded-Proto from a trusted proxy. */
export function isSecure(req: IncomingMessage, trustProxy: (address: string, hop: number) => boolean): boolean {
  const ownProtocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  if (!trustProxy(req.socket.remoteAddress ?? '', 0)) return ownProtocol === 'https';
  const forwarded = req.headers['x-forwarded-proto'];
  const header = (Array.isArray(forwarded) ? forwarded[0] : forwarded) || ownProtocol;
  return header.split(',', 1)[0]!.trim() === 'https';
}

/** The path of an origin-form target ("/a/b?c" → "/a/b"); other forms are left to Express. */
export function pathOf(url: string): string | null {
  if (!url.startsWith('/')) return null;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Sends a 200 page made of `chunks`, or 304 when the reader's copy (If-None-Match or
 * If-Modified-Since against `headers`) is current; HEAD gets the headers alone. The chunks go to
 * the socket as they are, in one write, without being joined first.
 */
export function sendChunks({ req, res }: FrontRequest, headers: OutgoingHttpHeaders, chunks: readonly Buffer[]): void {
  if (fresh(req.headers, headers)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  headers['content-length'] = length;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  res.end();
  res.uncork();
}
