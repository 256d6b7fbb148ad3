import { MARK_END, MARK_START } from './search-repository';
import { withMarks, type FoundWord } from './word-marks';

// A result's snippet: about thirty words of the story where the searched words are thickest, with
// those words marked. FTS5's snippet() chose the stretch by scoring a fragment at every place a
// searched word occurs against every other place: with a word that is in most stories, 60–100 µs
// a result on the 100,000-story bench, most of a page's cost. Here the words are only marked, as
// the index reads them ("negotiator" marks "negotiators" and "resume" marks "résumé"): by FTS5's
// highlight() for phrases and prefixes (55 µs for one word and 115 µs for three), and for single
// words by word-marks.ts, which does the same more quickly. The stretch is chosen from where the
// marks are, reading only the words it shows. For single words, where word-marks.ts says the words
// are, only the stretch the snippet can reach is marked (snippetOfFoundWords): marking a whole body
// to show thirty of its words was two fifths of what a search allocated.
//
// The body comes first: the headline is shown above the snippet already. When the searched words
// are not in the body, the deck is shown, marked if they are in it; when they are in neither (a
// headline, topic or byline match), the deck or else the body's first words.

/** About how many words a snippet has (a searched phrase longer than that is shown whole). */
export const SNIPPET_WORDS = 30;
/** Marks no further apart than this, in characters, are counted together (about thirty words). */
const SPAN_CHARS = 180;
export const ELLIPSIS = '…';

type Mark = { start: number; end: number; word: string };

/** Where the marked words are: from each MARK_START to just past its MARK_END. */
function marksIn(text: string): Mark[] {
  const marks: Mark[] = [];
  for (let at = text.indexOf(MARK_START); at !== -1;) {
    const close = text.indexOf(MARK_END, at + 1);
    if (close === -1) break;
    marks.push({ start: at, end: close + 1, word: text.slice(at + 1, close).toLowerCase() });
    at = text.indexOf(MARK_START, close + 1);
  }
  return marks;
}

/**
 * The marks that start the best stretch and end it (their indexes): the most different words
 * within SPAN_CHARS, then the most marks, then the earliest. `charsPerMark`: what marking adds to
 * each mark's length, when the marks are where the words are in the text before marking.
 */
function densest(marks: readonly Mark[], charsPerMark = 0): { first: number; last: number } {
  let best = { first: 0, last: 0, score: -1 };
  // The stretch from each mark i is marks i..j-1: every mark after i that ends within SPAN_CHARS
  // of i's start. Marks are in order and do not overlap, so j only moves on as i does, and the
  // words in the stretch are counted as marks come in and go out (a text with a common searched
  // word has hundreds of marks: a set of words per mark cost more than the rest of the snippet).
  const inStretch = new Map<string, number>();
  const enter = (mark: Mark) => inStretch.set(mark.word, (inStretch.get(mark.word) ?? 0) + 1);
  let j = 0;
  for (let i = 0; i < marks.length; i += 1) {
    if (j <= i) {
      enter(marks[i]!);
      j = i + 1;
    }
    while (j < marks.length && marks[j]!.end - marks[i]!.start + charsPerMark * (j - i + 1) <= SPAN_CHARS) enter(marks[j++]!);
    const score = inStretch.size * 1000 + (j - i);
    if (score > best.score) best = { first: i, last: j - 1, score };
    const leaving = marks[i]!.word;
    const left = inStretch.get(leaving)! - 1;
    if (left === 0) inStretch.delete(leaving);
    else inStretch.set(leaving, left);
  }
  return best;
}

const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;
const SENTENCE_ENDS = '.?!\n';

/**
 * Whether the character at i belongs to a word, as the query compiler reads words (letters, marks,
 * digits): ASCII without a regular expression, since nearly every character is.
 */
function inWord(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  // Either half of a surrogate pair: the character they make (a lone half is no word character).
  if (code >= 0xd800 && code <= 0xdfff) {
    const pairStart = code >= 0xdc00 && i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800 ? i - 1 : i;
    return WORD_CHARACTER.test(String.fromCodePoint(text.codePointAt(pairStart)!));
  }
  return WORD_CHARACTER.test(text[i]!);
}

/**
 * Up to `count` words before `at`, nearest first: where each starts and whether it begins a
 * sentence; whether the text at `at` begins one; whether the words reach back to the text's start.
 */
function wordsBefore(text: string, at: number, count: number) {
  const starts: number[] = [];
  const beginsSentence: boolean[] = [];
  let atSentence = false;
  let i = at - 1;
  for (;;) {
    let sentenceEnded = false;
    for (; i >= 0 && !inWord(text, i); i -= 1) if (SENTENCE_ENDS.includes(text[i]!)) sentenceEnded = true;
    if (starts.length === 0) atSentence = sentenceEnded || i < 0;
    else beginsSentence[starts.length - 1] = sentenceEnded || i < 0;
    if (i < 0 || starts.length === count) break;
    while (i >= 0 && inWord(text, i)) i -= 1;
    starts.push(i + 1);
    beginsSentence.push(false);
  }
  return { starts, beginsSentence, atSentence, reachedStart: i < 0 };
}

/** Up to `count` words from `at` on: where each ends; whether no word follows the last. */
function wordsAfter(text: string, at: number, count: number) {
  const ends: number[] = [];
  let i = at;
  for (;;) {
    while (i < text.length && !inWord(text, i)) i += 1;
    if (i >= text.length || ends.length === count) break;
    while (i < text.length && inWord(text, i)) i += 1;
    ends.push(i);
  }
  return { ends, reachedEnd: i >= text.length };
}

function countWords(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to;) {
    if (!inWord(text, i)) {
      i += 1;
      continue;
    }
    count += 1;
    while (i < to && inWord(text, i)) i += 1;
  }
  return count;
}

/**
 * About SNIPPET_WORDS words of `text` around the characters from..to (whole words, the stretch
 * centred, or begun where a sentence begins shortly before), with an ellipsis where the text goes
 * on, and every mark closed. Only the words it shows are read.
 */
function cut(text: string, from: number, to: number): string {
  const spare = Math.max(0, SNIPPET_WORDS - countWords(text, from, to));
  const back = wordsBefore(text, from, spare);
  const ahead = wordsAfter(text, to, spare);
  // Centred, as far as the text allows on each side.
  let before = Math.min(back.starts.length, Math.max(Math.floor(spare / 2), spare - ahead.ends.length));
  // Begin where a sentence begins, when one does before the marks: a reader starts reading there.
  let sentence = -1;
  for (let k = before - 1; k >= 0 && sentence < 0; k -= 1) if (back.beginsSentence[k]) sentence = k + 1;
  if (sentence < 0 && back.atSentence) sentence = 0;
  if (sentence >= 0) before = sentence;
  const after = Math.min(ahead.ends.length, spare - before);

  const atTextStart = before === back.starts.length && back.reachedStart;
  const atTextEnd = after === ahead.ends.length && ahead.reachedEnd;
  let sliceStart = atTextStart ? 0 : before > 0 ? back.starts[before - 1]! : from;
  if (!atTextStart && text[sliceStart - 1] === MARK_START) sliceStart -= 1;
  let sliceEnd = atTextEnd ? text.length : after > 0 ? ahead.ends[after - 1]! : to;
  if (!atTextEnd && text[sliceEnd] === MARK_END) sliceEnd += 1;
  let snippet = text.slice(sliceStart, sliceEnd);
  // A phrase's mark cut by the stretch's edge is closed (or opened) there.
  const opens = snippet.lastIndexOf(MARK_START);
  if (opens > snippet.lastIndexOf(MARK_END)) snippet += MARK_END;
  const closes = snippet.indexOf(MARK_END);
  if (closes !== -1 && (snippet.indexOf(MARK_START) === -1 || closes < snippet.indexOf(MARK_START))) snippet = MARK_START + snippet;
  return `${atTextStart ? '' : ELLIPSIS}${snippet.trim()}${atTextEnd ? '' : ELLIPSIS}`;
}

/** The snippet for a result, from its body and deck with the searched words marked (FTS5 highlight()). */
export function chooseSnippet(markedBody: string, markedDeck: string): string {
  for (const text of [markedBody, markedDeck]) {
    const marks = marksIn(text);
    if (marks.length === 0) continue;
    const { first, last } = densest(marks);
    return cut(text, marks[first]!.start, marks[last]!.end);
  }
  const plain = markedDeck.trim() ? markedDeck : markedBody;
  return cut(plain, 0, 0);
}

/**
 * The same snippet as chooseSnippet gives for the body and deck with `inBody` and `inDeck` marked
 * (word-marks.ts), marking only the stretch of text the snippet can reach rather than the whole body.
 */
export function snippetOfFoundWords(body: string, inBody: readonly FoundWord[], deck: string, inDeck: readonly FoundWord[]): string {
  if (inBody.length > 0) return snippetAround(body, inBody);
  if (inDeck.length > 0) return snippetAround(deck, inDeck);
  return cut(deck.trim() ? deck : body, 0, 0);
}

/** What cut() gives for the text marked, marking only what it can reach. */
function snippetAround(text: string, found: readonly FoundWord[]): string {
  // Marking puts two characters around each word, which the stretch's length counts.
  const { first, last } = densest(found, 2);
  const from = found[first]!.start;
  const to = found[last]!.end;
  // cut() reads at most SNIPPET_WORDS words before the marks and after them, and one more word to
  // know whether the text goes on (it does: the ellipsis) and where sentences begin. With two more
  // than that on each side the reach is covered; marks only ever split words, never join them, so
  // the marked stretch has at least as many. Found words across its edges are taken whole.
  const reach = SNIPPET_WORDS + 2;
  const back = wordsBefore(text, from, reach);
  let start = back.reachedStart || back.starts.length < reach ? 0 : back.starts[reach - 1]!;
  const ahead = wordsAfter(text, to, reach);
  let end = ahead.reachedEnd || ahead.ends.length < reach ? text.length : ahead.ends[reach - 1]!;
  // Found words are in order and do not overlap: those across the edges are next to the stretch's.
  let firstIn = first;
  while (firstIn > 0 && found[firstIn - 1]!.end > start) firstIn -= 1;
  start = Math.min(start, found[firstIn]!.start);
  let lastIn = last;
  while (lastIn < found.length - 1 && found[lastIn + 1]!.start < end) lastIn += 1;
  end = Math.max(end, found[lastIn]!.end);
  const inStretch = found.slice(firstIn, lastIn + 1).map((word) => ({ start: word.start - start, end: word.end - start, word: word.word }));
  // The first mark starts two characters later for each mark before it, and the last ends two
  // characters after its word.
  return cut(withMarks(text.slice(start, end), inStretch), from - start + 2 * (first - firstIn), to - start + 2 * (last - firstIn) + 2);
}
