import type { Db } from '../db/open-database';
import { BoundedMemo } from '../db/bounded-memo';

// Which stories have a common word, as one bit per story id, kept per search thread until the
// content version changes (migration 0014: every insert, change or delete of an article bumps it,
// in the same transaction, and only those change the words-only index).
//
// Most searches have a word that is in thousands of stories. Asked of the words-only index, an AND
// with such a word decodes its posting list over the whole stretch read, an entry at a time: on the
// 100,000-story bench, 0.55 ms of a 1.8 ms search on average over distinct mixed queries. Kept as
// bits, the same AND is a bit test per match of the query's other words, or a word-by-word AND of
// the sets when every word is common: 0.07 ms. A set is read once (about 3 ms for a word in most
// stories) and costs an eighth of a byte per story (12.5 KB for 100,000), so that a search thread
// keeps a thousand of them in about 12 MB.

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

export function createWordSets(db: Db) {
  const contentVersion = db.prepare<[], number>('SELECT version FROM content_version WHERE id = 1').pluck();
  const storiesWith = db.prepare<[string], number>('SELECT rowid FROM article_search_words WHERE article_search_words MATCH ? ORDER BY rowid').pluck();
  const kept = new BoundedMemo<StorySet>(KEPT_BYTES, (stem, set) => stem.length * 2 + set.byteLength + 64);
  let keptVersion: number | null = null;

  return {
    /**
     * The stories whose words, as the words-only index reads them (every column and the section
     * word), include `word`: a single token, kept by its stem (`stem`). Call within the search's
     * read transaction, so that the set and the rest of the search see the same archive.
     */
    storiesWithWord(word: string, stem: string): StorySet {
      const version = contentVersion.get()!;
      if (version !== keptVersion) {
        kept.clear();
        keptVersion = version;
      }
      const known = kept.get(stem);
      if (known) return known;
      const set = storySetOf(storiesWith.all(`"${word.replace(/"/g, '""')}"`));
      kept.set(stem, set);
      return set;
    },
  };
}

export type WordSets = ReturnType<typeof createWordSets>;

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
