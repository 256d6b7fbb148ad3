import { MARK_END, MARK_START } from './search-repository';
import { TOKEN_SOURCE } from './search-query';

// A result's snippet: about thirty words of the story where the searched words are thickest, with
// those words marked. FTS5's snippet() chose the stretch by scoring a fragment at every place a
// searched word occurs against every other place: with a word that is in most stories, 60–100 µs
// a result on the 100,000-story bench, most of a page's cost. Here FTS5 only marks the words
// (highlight(), about 25 µs: the index's own tokenizer and stemmer decide what matches, so
// "negotiator" marks "negotiators" and "resume" marks "résumé"), and the stretch is chosen from
// where the marks are, reading only the text around them.
//
// The body comes first: the headline is shown above the snippet already. When the searched words
// are not in the body, the deck is shown, marked if they are in it; when they are in neither (a
// headline, topic or byline match), the deck or else the body's first words.

/** About how many words a snippet has (a searched phrase longer than that is shown whole). */
export const SNIPPET_WORDS = 30;
/** Marks no further apart than this, in characters, are counted together (about thirty words). */
const SPAN_CHARS = 180;
/** How far either side of the chosen marks to look for the words that fill the snippet out (fifteen words of up to sixteen characters). */
const CONTEXT_CHARS = 240;
export const ELLIPSIS = '…';

/** Words, as the query compiler reads them; global, for exec() from a given place (one thread: no one else moves it). */
const WORD = new RegExp(TOKEN_SOURCE, 'gu');

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

/** The marks that start the best stretch and end it: the most different words within SPAN_CHARS, then the most marks, then the earliest. */
function densest(marks: Mark[]): { first: Mark; last: Mark } {
  let best = { first: marks[0]!, last: marks[0]!, score: -1 };
  for (let i = 0; i < marks.length; i += 1) {
    const words = new Set<string>([marks[i]!.word]);
    let j = i + 1;
    while (j < marks.length && marks[j]!.end - marks[i]!.start <= SPAN_CHARS) words.add(marks[j++]!.word);
    const score = words.size * 1000 + (j - i);
    if (score > best.score) best = { first: marks[i]!, last: marks[j - 1]!, score };
  }
  return best;
}

/**
 * About SNIPPET_WORDS words of `text` around the characters from..to (whole words, the stretch
 * centred), with an ellipsis where the text goes on, and every mark closed.
 */
function cut(text: string, from: number, to: number): string {
  const regionStart = Math.max(0, from - CONTEXT_CHARS);
  const regionEnd = Math.min(text.length, to + CONTEXT_CHARS);
  const words: { start: number; end: number }[] = [];
  let wordsAfter = false;
  WORD.lastIndex = regionStart;
  for (let found = WORD.exec(text); found; found = WORD.exec(text)) {
    if (found.index >= regionEnd) {
      wordsAfter = true;
      break;
    }
    words.push({ start: found.index, end: found.index + found[0].length });
  }
  if (words.length === 0) return '';
  let first = words.findIndex((word) => word.end > from);
  if (first === -1) first = words.length - 1;
  let last = first;
  while (last + 1 < words.length && words[last + 1]!.start < to) last += 1;
  const size = Math.max(SNIPPET_WORDS, last - first + 1);
  let start = Math.max(0, first - Math.floor((size - (last - first + 1)) / 2));
  start = Math.max(0, Math.min(words.length - 1, start + size - 1) - size + 1);
  // Begin where a sentence begins, when one does before the marks: a reader starts reading there.
  const startsSentence = (i: number) => (i === 0 ? regionStart === 0 : /[.?!\n]/.test(text.slice(words[i - 1]!.end, words[i]!.start)));
  for (let i = start; i <= first; i += 1) {
    if (startsSentence(i)) {
      start = i;
      break;
    }
  }
  const end = Math.min(words.length - 1, start + size - 1);

  const atTextStart = start === 0 && regionStart === 0;
  const atTextEnd = end === words.length - 1 && !wordsAfter;
  let sliceStart = atTextStart ? 0 : words[start]!.start;
  if (!atTextStart && text[sliceStart - 1] === MARK_START) sliceStart -= 1;
  let sliceEnd = atTextEnd ? text.length : words[end]!.end;
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
    return cut(text, first.start, last.end);
  }
  const plain = markedDeck.trim() ? markedDeck : markedBody;
  return cut(plain, 0, 0);
}
