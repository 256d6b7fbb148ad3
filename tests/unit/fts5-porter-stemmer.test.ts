import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { porterStem } from '../../src/db/fts5-porter-stemmer';
import { createStemmerRepository } from '../../src/search/stemmer-repository';

// The JavaScript stemmer must give every ASCII word the stem the index keeps for it: a search
// marks a result's words by their stems (word-marks.ts), and a stem off by one letter would mark
// the wrong words, or none. So each word here is asked of SQLite's own stemmer too, through a
// table with the index's tokenizer (migration 0007).

const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE words USING fts5(word, content = '', detail = none, tokenize = 'porter unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE stems USING fts5vocab(words, 'row');`);
const insert = db.prepare<[string]>('INSERT INTO words (rowid, word) VALUES (1, ?)');
const read = db.prepare<[], string>('SELECT term FROM stems').pluck();
const clear = db.prepare("INSERT INTO words (words) VALUES ('delete-all')");
function sqliteStem(word: string): string {
  insert.run(word);
  const terms = read.all();
  clear.run();
  return terms.join(' ');
}

/** The words whose stems differ between SQLite and porterStem, with both stems. */
function differences(words: Iterable<string>): string[] {
  const wrong: string[] = [];
  for (const word of words) {
    const expected = sqliteStem(word);
    const actual = porterStem(word);
    if (actual !== expected) wrong.push(`${word}: SQLite ${expected}, porterStem ${actual}`);
  }
  return wrong;
}

// Every suffix any step of the stemmer looks for, and some that end in them.
const SUFFIXES = [
  ...['s', 'es', 'ies', 'sses', 'ss', 'ed', 'eed', 'ing', 'y', 'e', 'll', 'at', 'bl', 'iz'],
  ...['ational', 'tional', 'enci', 'anci', 'izer', 'bli', 'alli', 'entli', 'eli', 'ousli', 'ization', 'ation', 'ator'],
  ...['alism', 'iveness', 'fulness', 'ousness', 'aliti', 'iviti', 'biliti', 'logi'],
  ...['icate', 'ative', 'alize', 'iciti', 'ical', 'ful', 'ness'],
  ...['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'sion', 'tion', 'ou'],
  ...['ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ated', 'ating', 'izing', 'bled', 'bling', 'ying', 'ied'],
];
// Starts that make the measure 0, 1 or 2, end consonant-vowel-consonant or not, and hold y and digits.
const STARTS = [
  '',
  'a',
  'y',
  'b',
  'at',
  'ay',
  'ab',
  'bl',
  'iz',
  'oa',
  'ea',
  'x',
  'hop',
  'ti',
  'ty',
  'fil',
  'con',
  'w',
  'tr',
  'yy',
  'e',
  'sh9',
];

test('gives every word of the seeded stories the stem SQLite gives it', () => {
  const text = fs.readFileSync(path.join(__dirname, '../../seed/articles.json'), 'utf8');
  const words = new Set(text.split(/[^A-Za-z0-9]+/).map((word) => word.toLowerCase()));
  expect(words.size).toBeGreaterThan(1000);
  expect(differences(words)).toEqual([]);
});

test('gives every start with every suffix, once or twice, the stem SQLite gives it', () => {
  const words = new Set<string>();
  for (const start of STARTS) {
    for (const first of SUFFIXES) {
      words.add(start + first);
      for (const second of SUFFIXES) words.add(start + first + second);
    }
  }
  expect(differences(words)).toEqual([]);
});

test('gives every short word of awkward letters the stem SQLite gives it', () => {
  const letters = 'aeiouysldtnz1';
  const words: string[] = [];
  const grow = (word: string): void => {
    if (word) words.push(word);
    if (word.length < 4) for (const letter of letters) grow(word + letter);
  };
  grow('');
  expect(differences(words)).toEqual([]);
});

test('keeps words shorter than three or longer than 64 characters as they are, as SQLite does', () => {
  const words = ['is', 'as', 'ed', ...Array.from({ length: 12 }, (_, i) => `${'b'.repeat(55 + i)}ational`)];
  expect(differences(words)).toEqual([]);
  const longest = `${'ab'.repeat(29)}ations`;
  expect(longest).toHaveLength(64);
  expect(porterStem(longest)).toBe('ab'.repeat(29));
  expect(porterStem(`b${longest}`)).toBe(`b${longest}`);
});

test('the stemmer repository stems ASCII words in JavaScript and any other word in SQLite, alike', () => {
  const stemmer = createStemmerRepository();
  expect(stemmer.stemOf('Negotiators')).toBe('negoti');
  expect(stemmer.stemOf('RUNNING')).toBe('run');
  // Folded by the tokenizer first, then stemmed: the same stems as their ASCII spellings.
  expect(stemmer.stemOf('Résumés')).toBe(stemmer.stemOf('resumes'));
  expect(stemmer.stemOf('naïvely')).toBe(sqliteStem('naively'));
  // Split by the tokenizer: one stem per word.
  expect(stemmer.stemOf('Obama’s')).toBe('obama s');
});
