import Database from 'better-sqlite3';
import { porterStem } from '../db/fts5-porter-stemmer';

// The search index's tokenizer and stemmer, asked directly: a private in-memory FTS5 table with
// the index's tokenizer (migration 0007). Writing a word into it and reading it back through
// fts5vocab gives exactly the stem the index uses ("negotiators" → "negoti"), so that whatever
// SQLite decides about a word (case, diacritics, which characters make words) is decided once, by
// SQLite, and JavaScript only keeps the answers. That costs about 30 µs a word, so a word of ASCII
// letters and digits, which the tokenizer only lowercases, goes to the same stemmer written in
// JavaScript instead (db/fts5-porter-stemmer.ts, about 1 µs).

export type StemmerRepository = {
  /** The index's stems of a text: one for a word, several (joined by spaces) for a word the tokenizer splits. */
  stemOf: (text: string) => string;
  /** Whether the tokenizer reads a character as part of a word (kept per character: there are only so many). */
  isWordCharacter: (codePoint: number) => boolean;
};

/** One word as the tokenizer reads it when it holds nothing but ASCII letters and digits. */
const ASCII_WORD = /^[A-Za-z0-9]+$/;

export function createStemmerRepository(): StemmerRepository {
  const stemmer = new Database(':memory:');
  stemmer.exec(`CREATE VIRTUAL TABLE words USING fts5(word, content = '', detail = none, tokenize = 'porter unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE stems USING fts5vocab(words, 'row');`);
  const insert = stemmer.prepare<[string]>('INSERT INTO words (rowid, word) VALUES (1, ?)');
  const read = stemmer.prepare<[], string>('SELECT term FROM stems').pluck();
  const clear = stemmer.prepare("INSERT INTO words (words) VALUES ('delete-all')");

  function termsOf(text: string): string[] {
    insert.run(text);
    const terms = read.all();
    clear.run();
    return terms;
  }

  const wordCharacters = new Map<number, boolean>();
  return {
    stemOf: (text) => (ASCII_WORD.test(text) ? porterStem(text.toLowerCase()) : termsOf(text).join(' ')),
    isWordCharacter(codePoint) {
      let known = wordCharacters.get(codePoint);
      if (known === undefined) {
        // Between two letters: one word if it is a word character, two if it is not.
        known = termsOf(`b${String.fromCodePoint(codePoint)}c`).length === 1;
        wordCharacters.set(codePoint, known);
      }
      return known;
    },
  };
}
