import type { SearchRepository } from './search-repository';

/** Folds a word the way the index does: lower case, accents removed. */
export function foldWord(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Edit distance counting a swap of two neighbouring letters as one edit ("korae" → "korea"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
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
    const distance = editDistance(word, candidate.term);
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
