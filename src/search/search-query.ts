// Compiles what a reader types into the search box into a safe FTS5 MATCH expression.
//
// Supported, as people expect from search engines:
//   "quoted phrase"   words next to each other
//   -word, -"phrase"  must not appear
//   word*             prefix
//   a OR b            either (OR in capitals; binds tighter than the implicit AND)
// Every other character is plain text: it only separates words. The output contains nothing but
// double-quoted tokens made of letters and digits, the operators AND, OR and NOT, parentheses and
// "*", so no input can produce an FTS5 syntax error or reach a column filter.

export const MAX_QUERY_CHARS = 200;
export const MAX_QUERY_TERMS = 30;
// A prefix stands for every word it begins: "s*" for a tenth of the vocabulary, read whole for
// every match. Prefixes are served by the index's 2- and 3-letter prefix tables (migration 0021);
// shorter ones, and prefixes past the cap, are left out, and the page says the search was too broad.
export const MIN_PREFIX_CHARS = 2;
export const MAX_PREFIX_TERMS = 3;

export type SearchTerm = { tokens: string[]; prefix: boolean };
/** One AND-ed part of a query: a term, or terms joined by OR; negated for "-word". */
export type SearchClause = { negated: boolean; alternatives: SearchTerm[] };
type Term = SearchTerm;
type Clause = SearchClause;

export type CompiledSearchQuery = {
  /** The FTS5 expression, or null when nothing searchable is left (empty, only exclusions). */
  match: string | null;
  /** The words searched for (without exclusions), lower case: for suggestions. */
  words: string[];
  /** True when the input was cut to MAX_QUERY_CHARS or MAX_QUERY_TERMS. */
  truncated: boolean;
  /** Prefix terms left out: shorter than MIN_PREFIX_CHARS, or past MAX_PREFIX_TERMS ("s*"). */
  tooBroad: string[];
  /** The parsed query, for building narrower expressions (see renderMatch). */
  clauses: SearchClause[];
};

// Letters (with their combining marks) and digits make words, as in SQLite's unicode61 tokenizer.
const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

function tokensOf(text: string): string[] {
  return (text.normalize('NFC').match(TOKEN) ?? []).map((token) => token.toLowerCase());
}

const quote = (token: string) => `"${token.replace(/"/g, '""')}"`;

function renderTerm(term: Term): string {
  const body = quote(term.tokens.join(' '));
  return term.prefix ? `${body}*` : body;
}

type Lexeme = { kind: 'word' | 'phrase'; text: string; negated: boolean; prefix: boolean } | { kind: 'or' };

/** Splits the input into words, phrases and OR, remembering "-" and "*" on each. */
function lex(input: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const negated = ch === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!) && (i === 0 || /\s/.test(input[i - 1]!));
    const start = negated ? i + 1 : i;
    if (input[start] === '"') {
      const close = input.indexOf('"', start + 1);
      // An unbalanced quote makes a phrase of the rest of the input.
      const end = close === -1 ? input.length : close;
      const prefix = close !== -1 && input[close + 1] === '*';
      lexemes.push({ kind: 'phrase', text: input.slice(start + 1, end), negated, prefix });
      i = close === -1 ? input.length : close + (prefix ? 2 : 1);
      continue;
    }
    let end = start;
    while (end < input.length && !/\s/.test(input[end]!) && input[end] !== '"') end += 1;
    const text = input.slice(start, end);
    i = Math.max(end, start + 1);
    if (text === 'OR' && !negated) lexemes.push({ kind: 'or' });
    else lexemes.push({ kind: 'word', text: text.replace(/\*+$/, ''), negated, prefix: /[\p{L}\p{N}]\*+$/u.test(text) });
  }
  return lexemes;
}

export function compileSearchQuery(rawInput: string): CompiledSearchQuery {
  // Control characters (NUL among them) are never part of a word.
  const cleaned = rawInput.replace(/\p{Cc}/gu, ' ').trim();
  let truncated = cleaned.length > MAX_QUERY_CHARS;
  const input = cleaned.slice(0, MAX_QUERY_CHARS);

  const clauses: Clause[] = [];
  const tooBroad: string[] = [];
  let pendingOr = false;
  let termCount = 0;
  let prefixCount = 0;
  for (const lexeme of lex(input)) {
    if (lexeme.kind === 'or') {
      pendingOr = clauses.length > 0 && !clauses[clauses.length - 1]!.negated;
      continue;
    }
    const tokens = tokensOf(lexeme.text);
    if (tokens.length === 0) continue;
    if (termCount + tokens.length > MAX_QUERY_TERMS) {
      truncated = true;
      break;
    }
    if (lexeme.prefix) {
      const last = tokens[tokens.length - 1]!;
      if ([...last].length < MIN_PREFIX_CHARS || prefixCount >= MAX_PREFIX_TERMS) {
        tooBroad.push(`${tokens.join(' ')}*`);
        continue;
      }
      prefixCount += 1;
    }
    termCount += tokens.length;
    // "a-b" and "don't" are several tokens next to each other: a phrase, as the index sees them.
    const term: Term = { tokens, prefix: lexeme.prefix };
    const previous = clauses[clauses.length - 1];
    if (pendingOr && previous && !lexeme.negated) previous.alternatives.push(term);
    else clauses.push({ negated: lexeme.negated, alternatives: [term] });
    pendingOr = false;
  }

  const words = clauses.filter((clause) => !clause.negated).flatMap((clause) => clause.alternatives.flatMap((term) => term.tokens));
  return { match: renderMatch(clauses), words, truncated, tooBroad, clauses };
}

/**
 * Renders clauses as an FTS5 expression. With `column`, the whole expression is limited to that
 * column ("{headline} : (...)"). Null when no positive clause is left to search for.
 */
export function renderMatch(clauses: readonly SearchClause[], column?: string): string | null {
  const positive = clauses.filter((clause) => !clause.negated);
  const negative = clauses.filter((clause) => clause.negated);
  if (positive.length === 0) return null;
  const renderClause = (clause: SearchClause) =>
    clause.alternatives.length === 1 ? renderTerm(clause.alternatives[0]!) : `(${clause.alternatives.map(renderTerm).join(' OR ')})`;
  let match = positive.map(renderClause).join(' AND ');
  if (negative.length > 0) match = `(${match})${negative.map((clause) => ` NOT ${renderClause(clause)}`).join('')}`;
  return column ? `{${column}} : (${match})` : match;
}
