import type { Logger } from 'pino';

// Sends soft purges to the cache nodes (Varnish with the xkey module: deploy/varnish/site.vcl).
// A soft purge marks the pages stale rather than dropping them, so a node whose origin is down
// can still serve them within its grace time. Purges go out after the change has committed,
// each node on its own, retried with backoff, and a failure is logged, never thrown: an edit
// never waits for, or fails because of, a cache node.

/** Header room for one request's keys: Varnish refuses request headers past 8 KB by default. */
const MAX_KEYS_HEADER = 4000;
const RETRY_DELAYS_MS = [250, 1000, 4000];
const REQUEST_TIMEOUT_MS = 2000;

export type PurgerOptions = {
  nodes: readonly string[];
  secret: string;
  logger: Logger;
  /** Waits between retries; tests pass a shorter one. */
  sleep?: (ms: number) => Promise<void>;
};

/** Keys joined into header values of at most MAX_KEYS_HEADER characters. */
export function keyHeaders(keys: readonly string[]): string[] {
  const headers: string[] = [];
  let current = '';
  for (const key of keys) {
    if (current && current.length + 1 + key.length > MAX_KEYS_HEADER) {
      headers.push(current);
      current = '';
    }
    current = current ? `${current} ${key}` : key;
  }
  if (current) headers.push(current);
  return headers;
}

export class CachePurger {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PurgerOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get enabled(): boolean {
    return this.options.nodes.length > 0;
  }

  /** Purges the keys on every node; resolves when each node has answered or been given up on. */
  async purge(keys: readonly string[]): Promise<void> {
    if (!this.enabled || keys.length === 0) return;
    const headers = keyHeaders(keys);
    await Promise.all(this.options.nodes.map((node) => this.purgeNode(node, headers, keys.length)));
  }

  private async purgeNode(node: string, headers: readonly string[], keyCount: number): Promise<void> {
    const started = Date.now();
    for (const header of headers) {
      let lastProblem = '';
      let sent = false;
      for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length && !sent; attempt += 1) {
        if (attempt > 0) await this.sleep(RETRY_DELAYS_MS[attempt - 1]!);
        try {
          const response = await fetch(`${node}/`, {
            method: 'PURGE',
            headers: { 'xkey-softpurge': header, 'x-purge-secret': this.options.secret },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          await response.arrayBuffer();
          if (response.ok) sent = true;
          else lastProblem = `answered ${response.status}`;
          // A refusal (wrong secret, address not allowed) will not change by asking again.
          if (response.status === 403 || response.status === 400) break;
        } catch (error) {
          lastProblem = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        }
      }
      if (!sent) {
        this.options.logger.error(
          { node, keys: header.split(' ').length, problem: lastProblem },
          'cache purge failed; pages stay until their lifetime ends',
        );
        return;
      }
    }
    this.options.logger.debug({ node, keys: keyCount, ms: Date.now() - started }, 'cache purged');
  }
}
