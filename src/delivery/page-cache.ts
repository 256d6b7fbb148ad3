import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { chooseCoding, type ContentCoding } from './accept-encoding';

// Rendered responses of pages that are the same for every reader (articles, fronts, topic pages,
// search results, feeds, sitemaps), kept in memory per process. An entry is good while the
// database's content version and the offer panel's token period are those it was rendered under,
// and for at most `ttlMs` (so that stories scheduled for later appear on time). Any write to
// what pages show bumps the version (triggers, migration 0014), so an edit, a new promo or a
// changed offer invalidates exactly in every worker at once, with no messages between them.

export type CachedPage = {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  etag: string;
  version: number;
  period: number;
  expiresAt: number;
  gzip?: Buffer;
  br?: Buffer;
};

const entrySize = (entry: CachedPage): number => entry.body.length + (entry.gzip?.length ?? 0) + (entry.br?.length ?? 0);

export const weakEtag = (body: Buffer | string): string => `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 27)}"`;

/**
 * What the keys of pages seen once may cost, as a share of the cache's bytes: a key is a URL of up
 * to 4 KB, so a count alone let 20,000 long distinct URLs take 90 MB of heap. Past it the list
 * starts over, which costs only a page kept one request later.
 */
const SEEN_ONCE_SHARE = 1 / 16;
const MIN_SEEN_ONCE_BYTES = 64 * 1024;
/** A key's cost in memory: two bytes a character (as V8 may store it) and a set entry. */
const keyBytes = (key: string): number => key.length * 2 + 64;

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly seenOnce = new Set<string>();
  private seenOnceBytes = 0;
  private readonly maxSeenOnceBytes: number;
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    readonly ttlMs: number,
  ) {
    this.maxSeenOnceBytes = Math.max(MIN_SEEN_ONCE_BYTES, Math.floor(maxBytes * SEEN_ONCE_SHARE));
  }

  /** Whether an entry, current or not, is kept under `key`: cheaper than reading the version for get(). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string, version: number, period: number, nowMs: number): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || entry.period !== period || entry.expiresAt <= nowMs) {
      this.delete(key);
      // It was read often enough to be kept: its next render is kept at once (see admits).
      this.remember(key);
      return undefined;
    }
    // Least recently used goes first: re-inserting moves the entry to the end of the map.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Whether a page is worth keeping: from its second request on. Most archive stories are read
   * once in a long while; keeping each would push out the pages that are read all the time, and
   * cost memory and garbage collection for nothing.
   */
  admits(key: string): boolean {
    if (this.seenOnce.delete(key)) {
      this.seenOnceBytes -= keyBytes(key);
      return true;
    }
    this.remember(key);
    return false;
  }

  private remember(key: string): void {
    if (this.seenOnce.has(key)) return;
    const bytes = keyBytes(key);
    if (this.seenOnceBytes + bytes > this.maxSeenOnceBytes) {
      this.seenOnce.clear();
      this.seenOnceBytes = 0;
    }
    this.seenOnce.add(key);
    this.seenOnceBytes += bytes;
  }

  set(key: string, entry: CachedPage): void {
    this.delete(key);
    const size = entry.body.length;
    if (size > this.maxBytes / 8) return;
    this.entries.set(key, entry);
    this.bytes += size;
    this.evict();
  }

  /** The body in an encoding the client accepts, compressed once per entry and kept. */
  encoded(entry: CachedPage, acceptEncoding: string | undefined): { body: Buffer; encoding: ContentCoding | null } {
    if (entry.body.length < 1024) return { body: entry.body, encoding: null };
    const encoding = chooseCoding(acceptEncoding, ['br', 'gzip']);
    if (encoding === 'br') {
      if (!entry.br) {
        entry.br = zlib.brotliCompressSync(entry.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
        this.bytes += entry.br.length;
        this.evict(entry);
      }
      return { body: entry.br, encoding };
    }
    if (encoding === 'gzip') {
      if (!entry.gzip) {
        entry.gzip = zlib.gzipSync(entry.body, { level: 6 });
        this.bytes += entry.gzip.length;
        this.evict(entry);
      }
      return { body: entry.gzip, encoding };
    }
    return { body: entry.body, encoding: null };
  }

  /** What is kept: pages and their bytes, and the bytes of the keys of pages seen once. */
  get size(): { entries: number; bytes: number; seenOnceBytes: number } {
    return { entries: this.entries.size, bytes: this.bytes, seenOnceBytes: this.seenOnceBytes };
  }

  /** The most `size.bytes` and `size.seenOnceBytes` may reach. */
  get limits(): { bytes: number; seenOnceBytes: number } {
    return { bytes: this.maxBytes, seenOnceBytes: this.maxSeenOnceBytes };
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= entrySize(old);
  }

  /** Drops the least recently used entries (never `keep`, the one in use) until within bounds. */
  private evict(keep?: CachedPage): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) return;
      if (entry !== keep) this.delete(key);
    }
  }
}
