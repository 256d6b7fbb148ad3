// SQLite FTS5's porter stemmer (the search index's tokenizer, migration 0007), in JavaScript, for
// words of lowercase ASCII letters and digits: the stem the index keeps for such a word, without
// asking SQLite. It sits with the database layer because it is the index's own rule, reproduced.
//
// Asking SQLite (search/stemmer-repository.ts) means writing the word into an in-memory FTS5 table
// and reading it back: about 30 µs a word. A search marks the words of ten stories' texts
// (search/word-marks.ts), and stemmed each new word it met that way: 20 words a search on a freshly
// started thread, and still 1 to 5 a search after thousands of searches. This takes about 1 µs.
//
// It follows fts5PorterCb and its steps in SQLite's fts5_tokenize.c rule for rule: the same
// suffixes in the same order, and the first suffix that ends the word decides a step, whether or
// not its condition holds, as the C's else-if chains do. So its stems are the index's: every word
// of the tests' lists gets SQLite's own stem (tests/unit/fts5-porter-stemmer.test.ts), and so did
// 1.28 million generated words when it was written. Anything but lowercase ASCII letters and
// digits is left to SQLite: its tokenizer folds case and diacritics and splits words first.

/** Words longer than this (in bytes, here characters) are kept as they are, as SQLite keeps them. */
const MAX_STEMMED_LENGTH = 64;

const isVowel = (c: string | undefined, yIsVowel: boolean): boolean =>
  c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || (yIsVowel && c === 'y');

/**
 * Past the first vowel-then-consonant run of word[from, to): the offset from `from` just after
 * that consonant, or 0 when there is none (fts5PorterGobbleVC).
 */
function gobbleVowelConsonant(word: string, from: number, to: number, previousIsConsonant: boolean): number {
  let consonant = previousIsConsonant;
  let i = from;
  for (; i < to; i += 1) {
    consonant = !isVowel(word[i], consonant);
    if (!consonant) break;
  }
  for (i += 1; i < to; i += 1) {
    consonant = !isVowel(word[i], consonant);
    if (consonant) return i + 1 - from;
  }
  return 0;
}

/** The stem word[0, length) has a measure above 0: [C](VC){m}[V] with m > 0. */
const measureAbove0 = (word: string, length: number): boolean => gobbleVowelConsonant(word, 0, length, false) !== 0;

function measureAbove1(word: string, length: number): boolean {
  const first = gobbleVowelConsonant(word, 0, length, false);
  return first !== 0 && gobbleVowelConsonant(word, first, length, true) !== 0;
}

function measureIs1(word: string, length: number): boolean {
  const first = gobbleVowelConsonant(word, 0, length, false);
  return first !== 0 && gobbleVowelConsonant(word, first, length, true) === 0;
}

/** The stem ends consonant-vowel-consonant, the last not w, x or y (Porter's *o). */
function endsConsonantVowelConsonant(word: string, length: number): boolean {
  const last = word[length - 1];
  if (last === 'w' || last === 'x' || last === 'y') return false;
  let mask = 0;
  let consonant = false;
  for (let i = 0; i < length; i += 1) {
    consonant = !isVowel(word[i], consonant);
    mask = ((mask << 1) | (consonant ? 1 : 0)) & 7;
  }
  return mask === 5;
}

/** The stem has a vowel (Porter's *v*). */
function hasVowel(word: string, length: number): boolean {
  for (let i = 0; i < length; i += 1) if (isVowel(word[i], i > 0)) return true;
  return false;
}

const measureAbove1EndingSOrT = (word: string, length: number): boolean =>
  (word[length - 1] === 's' || word[length - 1] === 't') && measureAbove1(word, length);

type Condition = (word: string, stemLength: number) => boolean;
/** A suffix, the condition on what comes before it, and what replaces it. */
type Rule = [suffix: string, condition: Condition, replacement: string];

/**
 * One step: the first rule whose suffix ends the word (which must be longer than the suffix)
 * decides; its replacement applies when its condition holds. Null when that rule's suffix matched
 * but nothing changed, or no rule matched; otherwise the new word.
 */
function applyStep(word: string, rules: readonly Rule[]): string | null {
  for (const [suffix, condition, replacement] of rules) {
    if (word.length <= suffix.length || !word.endsWith(suffix)) continue;
    const stemLength = word.length - suffix.length;
    return condition(word, stemLength) ? word.slice(0, stemLength) + replacement : null;
  }
  return null;
}

const STEP_2: readonly Rule[] = [
  ['ational', measureAbove0, 'ate'],
  ['tional', measureAbove0, 'tion'],
  ['enci', measureAbove0, 'ence'],
  ['anci', measureAbove0, 'ance'],
  ['izer', measureAbove0, 'ize'],
  ['logi', measureAbove0, 'log'],
  ['bli', measureAbove0, 'ble'],
  ['alli', measureAbove0, 'al'],
  ['entli', measureAbove0, 'ent'],
  ['eli', measureAbove0, 'e'],
  ['ousli', measureAbove0, 'ous'],
  ['ization', measureAbove0, 'ize'],
  ['ation', measureAbove0, 'ate'],
  ['ator', measureAbove0, 'ate'],
  ['alism', measureAbove0, 'al'],
  ['iveness', measureAbove0, 'ive'],
  ['fulness', measureAbove0, 'ful'],
  ['ousness', measureAbove0, 'ous'],
  ['aliti', measureAbove0, 'al'],
  ['iviti', measureAbove0, 'ive'],
  ['biliti', measureAbove0, 'ble'],
];

const STEP_3: readonly Rule[] = [
  ['ical', measureAbove0, 'ic'],
  ['ness', measureAbove0, ''],
  ['icate', measureAbove0, 'ic'],
  ['iciti', measureAbove0, 'ic'],
  ['ful', measureAbove0, ''],
  ['ative', measureAbove0, ''],
  ['alize', measureAbove0, 'al'],
];

const STEP_4: readonly Rule[] = [
  ['al', measureAbove1, ''],
  ['ance', measureAbove1, ''],
  ['ence', measureAbove1, ''],
  ['er', measureAbove1, ''],
  ['ic', measureAbove1, ''],
  ['able', measureAbove1, ''],
  ['ible', measureAbove1, ''],
  ['ant', measureAbove1, ''],
  ['ement', measureAbove1, ''],
  ['ment', measureAbove1, ''],
  ['ent', measureAbove1, ''],
  ['ion', measureAbove1EndingSOrT, ''],
  ['ou', measureAbove1, ''],
  ['ism', measureAbove1, ''],
  ['ate', measureAbove1, ''],
  ['iti', measureAbove1, ''],
  ['ous', measureAbove1, ''],
  ['ive', measureAbove1, ''],
  ['ize', measureAbove1, ''],
];

/** Step 1a: plural endings. */
function step1a(word: string): string {
  const n = word.length;
  if (word[n - 1] !== 's') return word;
  if (word[n - 2] === 'e') {
    const sses = n > 4 && word[n - 4] === 's' && word[n - 3] === 's';
    const ies = n > 3 && word[n - 3] === 'i';
    return word.slice(0, sses || ies ? n - 2 : n - 1);
  }
  return word[n - 2] !== 's' ? word.slice(0, n - 1) : word;
}

/** Step 1b: "-eed", "-ed" and "-ing", and what the last two leave behind. */
function step1b(word: string): string {
  const n = word.length;
  let cut: number;
  if (n > 3 && word.endsWith('eed')) {
    return measureAbove0(word, n - 3) ? word.slice(0, n - 1) : word;
  } else if (n > 2 && word.endsWith('ed')) {
    cut = 2;
  } else if (n > 3 && word.endsWith('ing')) {
    cut = 3;
  } else {
    return word;
  }
  if (!hasVowel(word, n - cut)) return word;
  const stem = word.slice(0, n - cut);
  const m = stem.length;
  if (m > 2 && (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz'))) return `${stem}e`;
  const last = stem[m - 1];
  if (!isVowel(last, false) && last !== 'l' && last !== 's' && last !== 'z' && last === stem[m - 2]) return stem.slice(0, m - 1);
  if (measureIs1(stem, m) && endsConsonantVowelConsonant(stem, m)) return `${stem}e`;
  return stem;
}

/**
 * The index's stem of a word of lowercase ASCII letters and digits (anything else: ask SQLite).
 * "negotiators" → "negoti", "running" → "run".
 */
export function porterStem(word: string): string {
  if (word.length > MAX_STEMMED_LENGTH || word.length < 3) return word;
  let stem = step1b(step1a(word));
  // Step 1c: a final y after a vowel-bearing stem becomes i.
  if (stem[stem.length - 1] === 'y' && hasVowel(stem, stem.length - 1)) stem = `${stem.slice(0, -1)}i`;
  stem = applyStep(stem, STEP_2) ?? stem;
  stem = applyStep(stem, STEP_3) ?? stem;
  stem = applyStep(stem, STEP_4) ?? stem;
  // Step 5a: a final e goes, unless the stem is short and ends consonant-vowel-consonant.
  const n = stem.length;
  if (stem[n - 1] === 'e' && (measureAbove1(stem, n - 1) || (measureIs1(stem, n - 1) && !endsConsonantVowelConsonant(stem, n - 1)))) {
    stem = stem.slice(0, n - 1);
  }
  // Step 5b: a double l at the end of a long stem becomes one.
  const length = stem.length;
  if (length > 1 && stem[length - 1] === 'l' && stem[length - 2] === 'l' && measureAbove1(stem, length - 1))
    stem = stem.slice(0, length - 1);
  return stem;
}
