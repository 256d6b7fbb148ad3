import Database from 'better-sqlite3';
import fc from 'fast-check';
import { compileSearchQuery, MAX_QUERY_TERMS } from '../../src/search/search-query';

// A real FTS5 table with the site's tokenizer: every compiled expression must be accepted by it.
const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE t USING fts5(headline, body, tokenize = 'porter unicode61 remove_diacritics 2');
  INSERT INTO t VALUES ('North Korea talks', 'Negotiators met in Moscow. Don''t panic: a-b testing résumé');`);
const run = db.prepare('SELECT count(*) FROM t WHERE t MATCH ?').pluck();
const matches = (input: string) => {
  const { match } = compileSearchQuery(input);
  return match === null ? 0 : (run.get(match) as number);
};

// The only things a compiled expression may contain outside its double-quoted tokens.
const OUTSIDE_QUOTES_ALLOWED = /^(?:\s|AND|OR|NOT|\(|\)|\*)*$/;
function outsideQuotes(match: string): string {
  return match.replace(/"(?:[^"]|"")*"/g, ' ');
}

describe('compileSearchQuery over tricky input', () => {
  test.each([
    ['north korea', '"north" AND "korea"'],
    ['"north korea" talks', '"north korea" AND "talks"'],
    ['"unbalanced quote', '"unbalanced quote"'],
    ['korea -china', '("korea") NOT "china"'],
    ['korea -"six party"', '("korea") NOT "six party"'],
    ['negot*', '"negot"*'],
    ['korea OR japan talks', '("korea" OR "japan") AND "talks"'],
    ['korea or japan', '"korea" AND "or" AND "japan"'],
    ['AND', '"and"'],
    ['NOT korea', '"not" AND "korea"'],
    ['NEAR(korea japan)', '"near korea" AND "japan"'],
    ['headline:korea', '"headline korea"'],
    ['^korea', '"korea"'],
    ['(korea', '"korea"'],
    ["don't", '"don t"'],
    ['a-b', '"a b"'],
    ['北朝鮮 talks', '"北朝鮮" AND "talks"'],
    ['Résumé', '"résumé"'],
    ['😀', null],
    ['-korea', null],
    ['', null],
    ['   ', null],
    ['"""', null],
    ['***', null],
    ['a\u0000b', '"a" AND "b"'],
    ['OR', null],
    ['korea OR', '"korea"'],
    ['-', null],
    ['x - y', '"x" AND "y"'],
  ])('%j compiles to %j', (input, expected) => {
    expect(compileSearchQuery(input).match).toBe(expected);
  });

  test('5,000 characters are cut to the limit, with a note', () => {
    const compiled = compileSearchQuery('korea '.repeat(1000));
    expect(compiled.truncated).toBe(true);
    expect(compiled.words.length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
    expect(() => run.get(compiled.match)).not.toThrow();
  });

  test('more than 30 words are cut with a note', () => {
    const compiled = compileSearchQuery(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '));
    expect(compiled.truncated).toBe(true);
    expect(compiled.words).toHaveLength(MAX_QUERY_TERMS);
  });

  test('a short query is not marked as cut', () => {
    expect(compileSearchQuery('north korea').truncated).toBe(false);
  });
});

describe('the compiled expressions find what people expect', () => {
  test.each([
    ['stemming: negotiator finds negotiators', 'negotiator', 1],
    ['accents: resume finds résumé', 'resume', 1],
    ['phrase in order', '"north korea"', 1],
    ['phrase out of order', '"korea north"', 0],
    ['exclusion', 'korea -moscow', 0],
    ['prefix', 'negot*', 1],
    ['OR', 'nothing OR moscow', 1],
    ['apostrophes', "don't", 1],
    ['hyphens', 'a-b', 1],
    ['punctuation is plain text', 'korea!!!', 1],
  ])('%s', (_, input, expected) => {
    expect(matches(input)).toBe(expected);
  });
});

describe('property: no input ever reaches SQLite unparsed or breaks it', () => {
  const anyText = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc
      .array(
        fc.constantFrom('"', '-', '*', 'OR', 'AND', 'NOT', 'NEAR', '(', ')', ':', '^', '+', ' ', 'a', 'b', '北', '😀', '\u0000', "'"),
        {
          maxLength: 60,
        },
      )
      .map((parts) => parts.join('')),
  );

  test('compiling never throws, and SQLite accepts every expression', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const { match } = compileSearchQuery(input);
        if (match !== null) {
          expect(() => run.get(match)).not.toThrow();
          expect(outsideQuotes(match)).toMatch(OUTSIDE_QUOTES_ALLOWED);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
