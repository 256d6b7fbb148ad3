import type { SearchRepository } from './search-repository';

/** Folds a word the way the index does: lower case, accents removed. */
export function foldWord(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit ("korae" → "korea"), or
 * `limit + 1` as soon as it must exceed `limit`. Three rows of numbers rather than a whole table,
 * and the early stop: it runs against thousands of known words for each unknown one.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Uint16Array(b.length + 1);
  let previous = Uint16Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, limit + 1);
}

/** How many unknown words of a query "did you mean" tries to correct. */
export const MAX_CORRECTED_WORDS = 2;

/** The closest word the site uses (by edit distance, then by how common it is), or null. */
function closestKnownWord(search: SearchRepository, word: string): string | null {
  if (word.length < 3 || search.isKnownWord(word)) return null;
  const allowed = word.length <= 5 ? 1 : 2;
  let best: { term: string; distance: number; doc: number } | null = null;
  for (const candidate of search.wordsStartingWith(word[0]!)) {
    if (Math.abs(candidate.term.length - word.length) > allowed) continue;
    const distance = editDistance(word, candidate.term, allowed);
    if (distance === 0 || distance > allowed) continue;
    if (!best || distance < best.distance || (distance === best.distance && candidate.doc > best.doc)) {
      best = { term: candidate.term, distance, doc: candidate.doc };
    }
  }
  return best?.term ?? null;
}

/**
 * "Did you mean …?": the query with each word the site does not use replaced by the nearest one
 * it does, from the vocabulary of headlines, decks and topics. Null when nothing would change.
 */
export function suggestQuery(search: SearchRepository, words: string[]): string | null {
  let changed = false;
  let lookups = 0;
  const suggested = words.map((word) => {
    const folded = foldWord(word);
    // Each look-up compares the word with every known word of its first letter (some 7 ms on a
    // large archive): a query with more unknown words than this is not a typo to correct.
    if (lookups >= MAX_CORRECTED_WORDS || folded.length < 3 || search.isKnownWord(folded)) return folded;
    lookups += 1;
    const replacement = closestKnownWord(search, folded);
    if (replacement) changed = true;
    return replacement ?? folded;
  });
  return changed ? suggested.join(' ') : null;
}
