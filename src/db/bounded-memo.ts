// Used by repositories to memoise look-ups of their own (search-repository.ts), so it lives beside them.
/**
 * A memo of small values by string key, bounded by the bytes its keys and values take rather than
 * by their count: a search word can be 200 characters, so a count alone bounds nothing. Past the
 * budget it starts over, which costs only a few look-ups done again.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (key: string, value: V) => number,
  ) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    const size = this.sizeOf(key, value);
    const old = this.entries.get(key);
    if (old !== undefined) this.bytes -= this.sizeOf(key, old);
    if (this.bytes + size > this.maxBytes) this.clear();
    this.entries.set(key, value);
    this.bytes += size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

/** What a string costs in memory, near enough: two bytes a character and an entry's overhead. */
export const stringBytes = (text: string): number => text.length * 2 + 48;
