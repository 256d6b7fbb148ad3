import type { Db } from '../db/open-database';
import { createStoryChangeLog } from './story-changes-repository';

// Which stories have a common word, as one bit per story id, kept per search thread and kept
// exact as stories change.
//
// Most searches have a word that is in thousands of stories. Asked of the words-only index, an AND
// with such a word decodes its posting list over the whole stretch read, an entry at a time: on the
// 100,000-story bench, 0.55 ms of a 1.8 ms search on average over distinct mixed queries. Kept as
// bits, the same AND is a bit test per match of the query's other words, or a word-by-word AND of
// the sets when every word is common: 0.07 ms. A set is read once (about 3 ms for a word in most
// stories) and costs an eighth of a byte per story (12.5 KB for 100,000), so that a search thread
// keeps the bench's thousand common words in about 12 MB.
//
// The sets follow the log of migrations 0032 and 0034: every insert, delete or change of a story's
// words or section appends its id, in the same transaction. Before each use, the stories logged
// since the last look are asked of the index again, one kept word at a time (about 10 µs each),
// and their bits set or cleared. When that would take too long (FOLLOW_LOOKUPS_AT_MOST), or the log
// has dropped entries not yet read, every set is dropped and read again when next needed: a
// newsroom saving a story costs each thread about 10 ms (a thousand kept words), not a second or
// two of reading every set afresh.

/** The sets a search thread keeps, in bytes (a bit per story each); past it they are read again. */
const KEPT_BYTES = 32 << 20;

/** The stories with a word, as bits by id: bit (id & 31) of word id >>> 5. */
export type StorySet = Uint32Array;

/** Whether the set has the story. */
export const setHas = (set: StorySet, id: number): boolean => id >>> 5 < set.length && ((set[id >>> 5]! >>> (id & 31)) & 1) === 1;

/** The set of these story ids, given in ascending order. */
export function storySetOf(ascendingIds: readonly number[]): StorySet {
  const set: StorySet = new Uint32Array(ascendingIds.length === 0 ? 0 : (ascendingIds[ascendingIds.length - 1]! >>> 5) + 1);
  for (const id of ascendingIds) set[id >>> 5]! |= 1 << (id & 31);
  return set;
}

/**
 * Past this many look-ups (changed stories times kept words, about 10 µs each) the sets are dropped
 * instead of followed: following is done within one search, and would hold it (and the searches
 * queued behind it) for as long as it takes, while sets read again cost each later search a few
 * milliseconds at most. With the bench's thousand common words, up to five changed stories are
 * followed.
 */
const FOLLOW_LOOKUPS_AT_MOST = 5000;
/** How many log entries are read at once; more than this changed stories are never followed. */
const FOLLOW_AT_MOST = 100;

export function createWordSets(db: Db) {
  const storiesWith = db
    .prepare<[string], number>('SELECT rowid FROM article_search_words WHERE article_search_words MATCH ? ORDER BY rowid')
    .pluck();
  // CAST: FTS5 ignores "rowid =" bound as a REAL, as better-sqlite3 binds numbers (search-repository.ts).
  const storyHas = db
    .prepare<[string, number], number>(
      'SELECT rowid FROM article_search_words WHERE article_search_words MATCH ? AND rowid = CAST(? AS INTEGER)',
    )
    .pluck();
  const changeLog = createStoryChangeLog(db);
  /** By stem: the word as it was asked for (its MATCH expression) and its set. */
  const kept = new Map<string, { match: string; set: StorySet }>();
  let keptBytes = 0;
  /** The last log entry the sets reflect (null: none kept yet). */
  let seen: number | null = null;

  function dropAll(): void {
    kept.clear();
    keptBytes = 0;
    seen = changeLog.last();
  }

  /** Brings the kept sets up to date with the stories logged since the last look. */
  function follow(): void {
    if (seen === null || kept.size === 0) return dropAll();
    const changes = changeLog.since(seen, FOLLOW_AT_MOST + 1);
    if (changes.length === 0) return;
    const changed = new Set(changes.map(([, id]) => id));
    const tooMany = changes.length > FOLLOW_AT_MOST || changed.size * kept.size > FOLLOW_LOOKUPS_AT_MOST;
    if (tooMany || changeLog.droppedAfter(seen)) return dropAll();
    for (const [stem, entry] of kept) {
      let { set } = entry;
      for (const id of changed) {
        const has = storyHas.get(entry.match, id) !== undefined;
        if (has && id >>> 5 >= set.length) {
          const grown: StorySet = new Uint32Array((id >>> 5) + 1);
          grown.set(set);
          keptBytes += grown.byteLength - set.byteLength;
          set = grown;
          kept.set(stem, { match: entry.match, set });
        }
        if (id >>> 5 < set.length) set[id >>> 5] = has ? set[id >>> 5]! | (1 << (id & 31)) : set[id >>> 5]! & ~(1 << (id & 31));
      }
    }
    seen = changes[changes.length - 1]![0];
  }

  /** The set of one word, read from the index when it is not kept. */
  function storiesWithWord(word: string, stem: string): StorySet {
    const known = kept.get(stem);
    if (known) return known.set;
    const match = `"${word.replace(/"/g, '""')}"`;
    const set = storySetOf(storiesWith.all(match));
    const bytes = stem.length * 2 + set.byteLength + 64;
    if (keptBytes + bytes > KEPT_BYTES) dropAll();
    kept.set(stem, { match, set });
    keptBytes += bytes;
    return set;
  }

  return {
    /**
     * For each word, the stories whose words, as the words-only index reads them (every column and
     * the section word), include it: single tokens, each kept by its stem. Call within the
     * search's read transaction, so that the sets and the rest of the search see the same archive.
     */
    storiesWithWords(words: { word: string; stem: string }[]): StorySet[] {
      follow();
      return words.map(({ word, stem }) => storiesWithWord(word, stem));
    },
  };
}

/**
 * The ids in every one of `sets`, newest (highest) first, one at a time: `visit` returns true to
 * stop. A word of bits at a time, from the top of the shortest set down.
 */
export function visitCommonIdsNewestFirst(sets: StorySet[], visit: (id: number) => boolean): void {
  let top = Infinity;
  for (const set of sets) top = Math.min(top, set.length);
  for (let at = top - 1; at >= 0; at -= 1) {
    let bits = sets[0]![at]!;
    for (let s = 1; s < sets.length && bits !== 0; s += 1) bits &= sets[s]![at]!;
    while (bits !== 0) {
      const bit = 31 - Math.clz32(bits);
      if (visit(at * 32 + bit)) return;
      bits &= ~(1 << bit);
    }
  }
}
