import { MARK_END, MARK_START } from './search-repository';

// Marks a query's words in a result's deck and body, as FTS5's highlight() marks them, without
// asking the index. highlight() has to seek each searched word's positions in the main index to
// the story (55 µs a result for one word, 115 µs for three, on the 100,000-story bench), while the
// story's text is read with its row anyway. For a query of single words (no phrase, no prefix),
// highlight() marks every word of the text whose stem is the stem of a searched word; this does
// the same in JavaScript, with the index's own tokenizer and stemmer deciding each case:
//
// - which characters make words: ASCII letters and digits do and other ASCII characters do not
//   (unicode61's rule); any other character is asked of the tokenizer once (`isWordCharacter`);
// - the stem of each word is asked of the stemmer (`stemOf`, kept by the caller), but only for
//   words that can match: the porter stemmer changes only a word's end, so a word of ASCII
//   letters that does not start as a searched stem starts is not one of them, and a regular
//   expression skips it (nearly all of a body's words).
//
// Words of other scripts get no such shortcut: each is stemmed, once per word and thread. A text
// with more than OTHER_STRETCHES_AT_MOST stretches of them (a story in Greek, quotations in
// Russian) is left to highlight() (the finder says null), so that a story of thousands of such
// words, each new, does not cost thousands of calls to the stemmer.
//
// wordFinder says where those words are, for the snippet to mark only those it shows
// (search-snippet.ts, with withMarks).
//
// Measured on the 100,000-story bench (the ten newest hits of 2,000 searches of one to three
// words, once the words' stems are kept): 47 µs a result, reading its row included, against 77
// with highlight(), and the same marks on all 19,393. tests/unit/word-marks.test.ts holds it to
// highlight() on texts of every kind.

/** Stretches of words with characters other than ASCII that a text may have and still be marked here. */
export const OTHER_STRETCHES_AT_MOST = 64;

const ASCII_WORD = /[A-Za-z0-9]/;
const NOT_ASCII = /[\u0080-\uFFFF]/g;

const isAsciiWordCode = (code: number): boolean => (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);

/**
 * A searched word found in a text: where it starts and ends (UTF-16 code units), and the word as
 * written there, lowercased (a snippet counts different words: search-snippet.ts).
 */
export type FoundWord = { start: number; end: number; word: string };

export type WordMarkerTools = {
  /** The index's stem of one word, as its tokenizer reads it ("negotiators" → "negoti"). */
  stemOf: (word: string) => string;
  /** Whether the index's tokenizer reads this character (not ASCII) as part of a word. */
  isWordCharacter: (codePoint: number) => boolean;
};

/**
 * A finder of the words whose stems are `stems` (each a single stem, as the index keeps it): gives
 * back where each such word is in a text, in order, or null for a text with too many words of
 * other scripts (OTHER_STRETCHES_AT_MOST), which highlight() should mark. A snippet marks only the
 * words it shows (search-snippet.ts, withMarks), so that a result's whole body is never copied to
 * mark it.
 */
export function wordFinder(tools: WordMarkerTools, stems: readonly string[]): (text: string) => FoundWord[] | null {
  const wanted = new Set(stems.filter((stem) => stem !== ''));
  // How a word of ASCII characters only (with no other word characters beside it) that has one of
  // the wanted stems starts, in either case. The porter stemmer rewrites only a word's end, after
  // at least two letters for most rules; where a rule reaches further in, the stem is short
  // ("ays" → "ai", "ating" → "ate", "ies" → "i"). So a stem of four letters or more starts with
  // the word's first three letters, lowercased, one of three with its first two, and any with its
  // first (startLength; checked on 650,000 words against SQLite's stemmer).
  const starts = new Set<string>();
  for (const stem of wanted) {
    const start = stem.slice(0, startLength(stem));
    if (![...start].every((c) => ASCII_WORD.test(c))) continue;
    starts.add([...start].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join(''));
  }
  const asciiWords =
    starts.size === 0
      ? null
      : new RegExp(`(?<![A-Za-z0-9\\u0080-\\uFFFF])(?:${[...starts].join('|')})[A-Za-z0-9]*(?![A-Za-z0-9\\u0080-\\uFFFF])`, 'g');
  // The stemmer folds case itself; lowercasing ASCII words first only lets "The" and "the" share a kept stem.
  const matches = (word: string): boolean => wanted.has(tools.stemOf(word));
  // What this finder found for each ASCII word of three letters or more, so that a word met again
  // (in the same text or the next result's) is looked up in this small map rather than in the
  // thread's memo of some 30,000 stems, which cost more than the rest of the marking.
  const asciiWordMatches = new Map<string, boolean>();
  /** Whether an ASCII word, lowercased, has a wanted stem. */
  const asciiMatches = (word: string): boolean => {
    // The stemmer leaves a word of fewer than three letters as it is (fts5-porter-stemmer.ts), and
    // such a word is most of those that get here: a searched word of two letters lets through
    // every word that starts with its first letter.
    if (word.length < 3) return wanted.has(word);
    let found = asciiWordMatches.get(word);
    if (found === undefined) asciiWordMatches.set(word, (found = matches(word)));
    return found;
  };

  return (text: string): FoundWord[] | null => {
    const found: FoundWord[] = [];
    if (wanted.size === 0) return found;
    if (asciiWords) {
      // test() rather than exec(): it makes no match array, and a match is a whole run of ASCII
      // letters and digits, so that its start is found by stepping back from its end.
      asciiWords.lastIndex = 0;
      while (asciiWords.test(text)) {
        const end = asciiWords.lastIndex;
        let start = end - 1;
        while (start > 0 && isAsciiWordCode(text.charCodeAt(start - 1))) start -= 1;
        const word = text.slice(start, end).toLowerCase();
        if (asciiMatches(word)) found.push({ start, end, word });
      }
    }
    const before = found.length;
    if (!findWordsBesideOtherCharacters(text, tools, matches, found)) return null;
    // Both passes find words in order; they interleave only when the text has both kinds.
    if (found.length > before && before > 0) found.sort((a, b) => a.start - b.start);
    return found;
  };
}

/**
 * The words in each stretch of word-like characters that holds a character other than ASCII: the
 * regular expression skips them, and their boundaries are the tokenizer's to say. False, having
 * stopped, past OTHER_STRETCHES_AT_MOST stretches.
 */
function findWordsBesideOtherCharacters(
  text: string,
  tools: WordMarkerTools,
  matches: (word: string) => boolean,
  found: FoundWord[],
): boolean {
  /** Whether the character at i (either half of a surrogate pair: the pair's character) makes words. */
  const wordAt = (i: number): boolean => {
    const code = text.charCodeAt(i);
    if (code < 0x80) return isAsciiWordCode(code);
    return tools.isWordCharacter(text.codePointAt(isLowSurrogate(code) && i > 0 ? i - 1 : i)!);
  };
  // Any character but ASCII punctuation and spaces may belong to such a stretch.
  const stretchy = (i: number): boolean => {
    const code = text.charCodeAt(i);
    return code >= 0x80 || isAsciiWordCode(code);
  };
  let doneUpTo = 0;
  let stretches = 0;
  NOT_ASCII.lastIndex = 0;
  for (let other = NOT_ASCII.exec(text); other !== null; other = NOT_ASCII.exec(text)) {
    if (other.index < doneUpTo) continue;
    if ((stretches += 1) > OTHER_STRETCHES_AT_MOST) return false;
    let start = other.index;
    while (start > 0 && stretchy(start - 1)) start -= 1;
    let end = other.index + 1;
    while (end < text.length && stretchy(end)) end += 1;
    doneUpTo = end;
    for (let i = start; i < end;) {
      if (!wordAt(i)) {
        i += 1;
        continue;
      }
      let j = i + 1;
      while (j < end && wordAt(j)) j += 1;
      const word = text.slice(i, j);
      if (matches(word)) found.push({ start: i, end: j, word: word.toLowerCase() });
      i = j;
    }
  }
  return true;
}

/** How many of a stem's first letters the words with that stem start with (see wordFinder). */
const startLength = (stem: string): number => (stem.length >= 4 ? 3 : stem.length >= 3 ? 2 : 1);

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** The text with each found word between MARK_START and MARK_END. */
export function withMarks(text: string, found: readonly FoundWord[]): string {
  if (found.length === 0) return text;
  let out = '';
  let last = 0;
  for (const { start, end } of found) {
    out += text.slice(last, start) + MARK_START + text.slice(start, end) + MARK_END;
    last = end;
  }
  return out + text.slice(last);
}
