import Database from 'better-sqlite3';
import { createStemmerRepository } from '../../src/search/stemmer-repository';
import { MARK_END, MARK_START } from '../../src/search/search-repository';
import { OTHER_STRETCHES_AT_MOST, withMarks, wordFinder, type WordMarkerTools } from '../../src/search/word-marks';
import { seededRandom } from '../helpers/seeded-random';

// Results' words are marked in JavaScript for queries of single words (word-marks.ts); they must
// be marked exactly where FTS5's highlight() marks them, with the index's tokenizer, so each case
// here is asked of both: highlight() on a table with the index's tokenizer, and the marker.

const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE texts USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2')`);
const insert = db.prepare<[string]>('INSERT INTO texts (rowid, body) VALUES (1, ?)');
const highlighted = db.prepare<[string], string>(
  `SELECT highlight(texts, 0, '${MARK_START}', '${MARK_END}') FROM texts WHERE texts MATCH ? AND rowid = 1`,
);
const stemmer = createStemmerRepository();

/** The text as highlight() marks it for the words (any of them), or the text itself when none is in it. */
function byIndex(text: string, words: string[]): string {
  db.exec('DELETE FROM texts');
  insert.run(text);
  const match = words.map((word) => `"${word.replace(/"/g, '""')}"`).join(' OR ');
  return highlighted.pluck().get(match) ?? text;
}
/** The text with the words found marked, as a snippet marks them (null: left to highlight()). */
function wordMarker(tools: WordMarkerTools, stems: string[]): (text: string) => string | null {
  const find = wordFinder(tools, stems);
  return (text) => {
    const found = find(text);
    return found === null ? null : withMarks(text, found);
  };
}
const byMarker = (text: string, words: string[]): string => wordMarker(stemmer, words.map(stemmer.stemOf))(text) ?? 'left to highlight()';
const shown = (marked: string) => marked.replaceAll(MARK_START, '[').replaceAll(MARK_END, ']');

test('marks the searched words and the words with their stems, in any case', () => {
  const text = 'Negotiators negotiated; the NEGOTIATION went on. A negotiator said so.';
  expect(shown(byMarker(text, ['negotiate']))).toBe('[Negotiators] [negotiated]; the [NEGOTIATION] went on. A [negotiator] said so.');
  expect(byMarker(text, ['negotiate'])).toBe(byIndex(text, ['negotiate']));
});

test.each([
  ['curly quotes and dashes split words', 'Obama’s aides—and “Obama” himself—met Obama’s rivals.', ['obama', 's']],
  [
    'diacritics are folded both ways',
    'Her résumé, his resume, the Résumés; naïve and NAIVE; Élection day.',
    ['resume', 'naive', 'election'],
  ],
  ['combining marks belong to their word', 'cafe\u0301 and café and cafe', ['cafe']],
  ['letters beside other scripts', 'Αθήνα and Athens, Москва-Moscow, 東京Tokyo', ['αθηνα', 'moscow', 'tokyo', 'москва']],
  ['emoji and other surrogate pairs', 'vote🗳vote 🗳️ voters 𝐯𝐨𝐭𝐞 vote', ['vote']],
  ['digits and underscores', 'In 2013, 3D_printing and 3d printers; 2013a', ['2013', '3d', 'printing']],
  ['apostrophes and hyphens', "don't, dont, well-known wells", ['don', 't', 'well']],
  ['short stems that rewrite the start', 'The ays and ayes; ies, ied; ating ate; bled bling', ['ai', 'i', 'ate', 'bled', 'bl']],
  ['a word past the stemmer length', `${'a'.repeat(70)} ${'a'.repeat(70)}s`, ['a'.repeat(70)]],
  ['words that are not there', 'Nothing to see here.', ['walrus']],
  ['private-use and other symbols', 'walrus\u00a0walrus\u200bwalrus·walrus walrus™ ™walrus', ['walrus']],
])('%s: as highlight() marks them', (_case, text, words) => {
  expect(shown(byMarker(text, words))).toBe(shown(byIndex(text, words)));
});

test('random texts of awkward words and separators: as highlight() marks them', () => {
  // A fixed seed, so that a failure can be reproduced.
  const { random, pick } = seededRandom(7);
  const words = [
    'vote',
    'votes',
    'voting',
    'Voter',
    'VOTED',
    'résumé',
    'resume',
    'ies',
    'ays',
    'ai',
    'a',
    'at',
    'ating',
    'ate',
    'naïve',
    'Ωmega',
    'omega',
    '2013',
    '3d',
    'x',
    'élan',
    'elan',
    'größe',
    'grosse',
    'ǅemal',
    'İstanbul',
    'istanbul',
    'vote🗳',
  ];
  const separators = [' ', ', ', '’', '—', '-', '\n', '“', '”', '\u00a0', '·', '', '_', '.', "'", '🗳'];
  for (let round = 0; round < 300; round += 1) {
    const text = Array.from({ length: 3 + Math.floor(random() * 12) }, () => pick(words) + pick(separators)).join('');
    const searched = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(words)).filter((word) => stemmer.stemOf(word) !== '');
    // Only words the tokenizer reads as one (a query of single words).
    const single = searched.filter((word) => !stemmer.stemOf(word).includes(' '));
    if (single.length === 0) continue;
    expect([text, single, shown(byMarker(text, single))]).toEqual([text, single, shown(byIndex(text, single))]);
  }
});

test('a text with many words of other scripts is left to highlight(), and one with a few is marked here', () => {
  const greek = (count: number) => Array.from({ length: count }, (_, i) => `λέξη${i}`).join(' ');
  const mark = wordMarker(stemmer, ['walrus'].map(stemmer.stemOf));
  expect(mark(`walrus ${greek(OTHER_STRETCHES_AT_MOST + 1)}`)).toBeNull();
  expect(shown(mark(`walrus ${greek(OTHER_STRETCHES_AT_MOST)}`)!)).toBe(
    shown(byIndex(`walrus ${greek(OTHER_STRETCHES_AT_MOST)}`, ['walrus'])),
  );
  // Curly quotes and dashes count too, but an English story has far fewer than that.
  expect(mark('“Walrus,” she said—“walruses’ tusks.”')).not.toBeNull();
});

test('one marker, used for each result of a page in turn, marks every text as highlight() does', () => {
  // The marker keeps what it found for each word between texts; a word met again, in any case,
  // is marked again, and a word that did not match once does not match later either.
  const searched = ['di', 'dior', 'voting', 'a'];
  const mark = wordMarker(stemmer, searched.map(stemmer.stemOf));
  const texts = [
    'Di and di; DIOR, diors and dine. A vote, voters voting.',
    'dine, Dior, di, DI and dI; an ax, a vote; votes.',
    'Voted? VOTING. diors! ai a A',
  ];
  for (const text of texts) expect(shown(mark(text)!)).toBe(shown(byIndex(text, searched)));
  expect(shown(mark(texts[1]!)!)).toBe('dine, [Dior], [di], [DI] and [dI]; an ax, [a] [vote]; [votes].');
});
