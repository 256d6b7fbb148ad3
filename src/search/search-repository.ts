import type { Db } from '../db/open-database';
import { BoundedMemo, stringBytes } from '../db/bounded-memo';
import type { ArticleSummaryRow } from '../articles/articles-repository';
import type { PhotoRow } from '../photos/photos-repository';
import { createVisibleStories } from './visible-stories-repository';
import { createWordSets, setHas, visitCommonIdsNewestFirst } from './word-sets-repository';
import { createStemmerRepository } from './stemmer-repository';

export type SearchFilters = {
  now: string;
  sectionIds: number[] | null;
  from: string | null;
  to: string | null;
};

/**
 * A MATCH expression, and whether each of its terms is a single token as the index reads it (no
 * phrase): such a one can be read from the words-only index (migration 0033), which is quicker.
 */
export type SearchMatch = { expression: string; singleTokens: boolean };

/**
 * A query of single words, all required (no phrase, OR, exclusion or prefix), split by how many
 * stories use each: `common`, the words in more than the common threshold of stories, and `rare`,
 * the MATCH expression of the others (null: every word is common).
 */
export type WordsOfQuery = { common: string[]; rare: string | null };

export type SearchCandidate = { id: number; published_at: string };
export type NewestMatches = {
  /** Visible, filtered matches, newest first. */
  candidates: SearchCandidate[];
  /** How many matches were read to find them, and the lowest id among those. */
  read: number;
  lowestRead: number | null;
  /** Whether every match was read (so that the candidates are all there are). */
  exhausted: boolean;
};
/** A result's row, with its hero photo's row (read in the same statement, not one lookup each on the main thread that builds the cards). */
export type SearchHitRow = ArticleSummaryRow & { photo: PhotoRow | null };
/** A result's row, and its deck and body as the index sees them: the searched words marked. */
export type MarkedHit = { row: SearchHitRow; markedDeck: string; markedBody: string };
type PhotoColumns = { [K in keyof PhotoRow as `photo_${K}`]: PhotoRow[K] | null };
type HitColumns = ArticleSummaryRow & { marked_deck: string; marked_body: string } & PhotoColumns;
type PlainHitColumns = ArticleSummaryRow & { body_text: string } & PhotoColumns;
/** A result's row, and its deck and body as they are. */
export type PlainHit = { row: SearchHitRow; deck: string; body: string };

// Marks around matched words in snippets: private-use characters, split out and escaped by the
// page, so that only the marks become markup.
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

const FREQUENCY_TTL_MS = 10 * 60 * 1000;

/** Starts the words that stand for sections in the words-only index (migration 0033): U+E5EC, for private use. */
const SECTION_MARK = '\uE5EC';

/**
 * The words-only index's words for sections (a private-use character and the section's id, which
 * no reader's query can contain), as a MATCH expression for any of them (at least one).
 */
const sectionWords = (sectionIds: number[]): string => sectionIds.map((id) => `"${SECTION_MARK}${Math.trunc(id)}"`).join(' OR ');

// Column weights for bm25: headline above deck above topics above byline above body.
const BM25 = 'bm25(article_search, 10.0, 4.0, 1.0, 2.0, 3.0)';

// Every MATCH expression passed in here was compiled by compileSearchQuery/renderMatch from
// quoted tokens; no reader input reaches these statements unparsed.
export function createSearchRepository(db: Db) {
  const stemmer = createStemmerRepository();
  // Each at most 1 MB, whatever the words: they come from readers.
  const stemCache = new BoundedMemo<string>(1 << 20, (word, stem) => stringBytes(word) + stringBytes(stem));
  const frequencyCache = new BoundedMemo<{ docs: number; at: number }>(1 << 20, (key) => stringBytes(key) + 32);
  // Every known word once at most (they are kept by their first letters): some 2.5 MB for the
  // 40,000 words of the 100,000-story bench; the bound keeps a far larger vocabulary from growing it.
  const wordsByPrefix = new BoundedMemo<{ words: { term: string; doc: number }[]; at: number }>(
    16 << 20,
    (key, value) => stringBytes(key) + value.words.reduce((sum, word) => sum + stringBytes(word.term) + 16, 0),
  );

  // Counting stops one past the bound: a word in every story costs 5,001 ids (about 1 ms), not
  // its whole posting list (80 ms for the commonest word of the 100,000-story bench, through
  // fts5vocab, which reads every entry to count them). One word: the words-only index serves it.
  const matchingUpTo = db
    .prepare<[string, number], number>(
      'SELECT count(*) FROM (SELECT rowid FROM article_search_words WHERE article_search_words MATCH ? LIMIT ?)',
    )
    .pluck();
  const prefixDocs = db
    .prepare<[string, string], number>(
      'SELECT coalesce(sum(doc), 0) FROM (SELECT doc FROM article_search_terms WHERE term >= ? AND term < ? LIMIT 1000)',
    )
    .pluck();
  const articleCount = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM articles').pluck();

  // Which stories match, from the words-only index (migration 0033) when the expression has no
  // phrase, or else from the main index, which has the positions a phrase needs.
  const fromIndex = <P extends unknown[]>(sql: (table: string) => string) => {
    const words = db.prepare<P, number>(sql('article_search_words')).pluck();
    const main = db.prepare<P, number>(sql('article_search')).pluck();
    return (match: SearchMatch) => (match.singleTokens ? words : main);
  };
  // The newest matches first: FTS5 reads a posting list backwards and stops at the LIMIT, so a
  // common word costs what the page needs, not its whole list.
  const newestIdsBelow = fromIndex<[string, number, number]>(
    (table) => `SELECT rowid FROM ${table} WHERE ${table} MATCH ? AND rowid < CAST(? AS INTEGER) ORDER BY rowid DESC LIMIT ?`,
  );
  // Every match, oldest first, up to a bound: for a query known to match few stories (one of its
  // words is uncommon). FTS5 reads an AND of words backwards slowly when one of the words is in
  // most stories: on the 100,000-story bench, the 273 matches of three words, one of them in every
  // story, took 6.2 ms newest first and 1.2 ms oldest first (main index); the word's posting list
  // is walked entry by entry backwards, and skipped through by its index forwards.
  const matchesUpTo = fromIndex<[string, number]>(
    (table) => `SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid ASC LIMIT ?`,
  );
  // Which matches may be shown (published, out, within the filters): kept in memory, read when a
  // search thread starts or else on the first search (visible-stories-repository.ts).
  const visible = createVisibleStories(db);
  // The stories with each common word, as bits, kept per search thread (word-sets-repository.ts).
  const wordSets = createWordSets(db);
  // bm25 for the candidates only. The ranking match is the query's selective words alone, which
  // many more stories than the candidates can have: "quiya zotutu rifa" has 86 candidates, and
  // 4,739 stories from the oldest of them up have its one selective word; scoring all of them,
  // at about 2.4 µs a row (bm25 reads each row's size), took 10.7 ms. The rows are walked from
  // the oldest candidate up as before, and a row that is no candidate is passed over before its
  // score is worked out. "+rowid" keeps the list out of FTS5's hands: given "rowid IN", SQLite
  // has it seek each id in every word's posting list (3.5 times as long for 25 ids as the walk).
  // Rows come back as arrays, not objects: better-sqlite3 builds an object per row with its
  // column names, which for hundreds of scored candidates cost an eighth of the statement
  // (0.74 against 0.65 ms a scored search on the 100,000-story bench, docs/scaling.md).
  const scores = db
    .prepare<{ match: string; minId: number; ids: string }, [id: number, score: number]>(
      `SELECT rowid AS id, ${BM25} AS score FROM article_search
     WHERE article_search MATCH @match AND rowid >= CAST(@minId AS INTEGER) AND +rowid IN (SELECT value FROM json_each(@ids))`,
    )
    .raw();
  // Each word's stories with it in the headline (headline-only index, migration 0029), from the
  // oldest candidate any search asked about up to the newest, kept until what pages show changes
  // (content_version, migration 0014, bumped by every change to an article). When every word of a
  // search is common, its order asks whether each of up to a thousand candidates has the words in
  // its headline: asked of the index for every search (headlineIds, below), that read the words'
  // headline lists from the oldest candidate up again each time; kept, a search reads only the
  // stretch older than any before it asked about, and the rest is a binary search. The lists are
  // short (a word in every story is in a few tens of thousands of headlines, a few hundred KB of
  // ids here), and the bound keeps the memo small whatever readers ask.
  const contentVersion = db.prepare<[], number>('SELECT version FROM content_version WHERE id = 1').pluck();
  const headlineWordIdsBetween = db
    .prepare<[string, number, number], number>(
      'SELECT rowid FROM article_search_headlines WHERE article_search_headlines MATCH ? AND rowid >= CAST(? AS INTEGER) AND rowid < CAST(? AS INTEGER) ORDER BY rowid',
    )
    .pluck();
  /** By stem: the stories with the word in the headline and an id of at least `from`, ascending (story ids stay far below 2^31). */
  const headlineLists = new BoundedMemo<{ from: number; ids: Int32Array }>(
    16 << 20,
    (stem, list) => stringBytes(stem) + list.ids.byteLength + 64,
  );
  let headlineListsVersion: number | null = null;
  // Headlines alone (migration 0029): a column filter on the main index reads whole position lists.
  const headlineIds = db
    .prepare<{ match: string; minId: number }, number>(
      'SELECT rowid FROM article_search_headlines WHERE article_search_headlines MATCH @match AND rowid >= CAST(@minId AS INTEGER)',
    )
    .pluck();
  // One story at a time: with "rowid = ?" FTS5 seeks straight to it; with "rowid IN (...)" it
  // walks the whole match. The id is cast to an integer in SQL: better-sqlite3 binds every JS
  // number as a REAL, and FTS5 takes a rowid bound only from an INTEGER. Given a REAL, it ignores
  // "rowid =" (having told SQLite it would apply it) and walks every match: the story's own row
  // still came from the join, but highlight() marked the oldest matching story's deck and body,
  // so every result's snippet was that story's.
  const hit = db.prepare<{ match: string; id: number }, HitColumns>(
    `SELECT a.id, a.section_id, s.path AS section_path, a.slug, a.headline, a.deck, a.byline, a.hero_photo_id,
       a.status, a.published_at, a.updated_at,
       highlight(article_search, 1, '${MARK_START}', '${MARK_END}') AS marked_deck,
       highlight(article_search, 2, '${MARK_START}', '${MARK_END}') AS marked_body,
       p.id AS photo_id, p.sha256 AS photo_sha256, p.format AS photo_format, p.width AS photo_width, p.height AS photo_height,
       p.bytes AS photo_bytes, p.alt AS photo_alt, p.caption AS photo_caption, p.credit AS photo_credit
     FROM article_search JOIN articles a ON a.id = article_search.rowid JOIN sections s ON s.id = a.section_id
       LEFT JOIN photos p ON p.id = a.hero_photo_id
     WHERE article_search MATCH @match AND article_search.rowid = CAST(@id AS INTEGER)`,
  );
  // The same row with the deck and body as they are, for a query of single words, whose words are
  // marked in JavaScript (word-marks.ts): the index is not asked at all.
  const plainHit = db.prepare<[number], PlainHitColumns>(
    `SELECT a.id, a.section_id, s.path AS section_path, a.slug, a.headline, a.deck, a.byline, a.hero_photo_id,
       a.status, a.published_at, a.updated_at, a.body_text,
       p.id AS photo_id, p.sha256 AS photo_sha256, p.format AS photo_format, p.width AS photo_width, p.height AS photo_height,
       p.bytes AS photo_bytes, p.alt AS photo_alt, p.caption AS photo_caption, p.credit AS photo_credit
     FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN photos p ON p.id = a.hero_photo_id
     WHERE a.id = ?`,
  );
  const wordsNear = db.prepare<[string, string], { term: string; doc: number }>(
    'SELECT term, doc FROM search_words_vocab WHERE term >= ? AND term < ?',
  );
  const wordExists = db.prepare<[string], number>('SELECT doc FROM search_words_vocab WHERE term = ?').pluck();

  /** A count, kept for FREQUENCY_TTL_MS on the process's own clock (it only spares work and shows nowhere). */
  function remembered(key: string, count: () => number): number {
    const cached = frequencyCache.get(key);
    if (cached && Date.now() - cached.at < FREQUENCY_TTL_MS) return cached.docs;
    const docs = count();
    frequencyCache.set(key, { docs, at: Date.now() });
    return docs;
  }

  // The stems of the words in results' texts (word-marks.ts), apart from the searched words': a
  // body's words are many more, and marking them must not push those out. A word of ASCII letters
  // is stemmed in JavaScript (about 1 µs, against 0.04 µs to find it here), any other by SQLite
  // (about 30 µs), so a small memo does: 4 MB holds some 30,000 words, and past that it starts
  // over. (16 MB, when every word went to SQLite; 2 MB measured no slower on the bench database.)
  const textStems = new BoundedMemo<string>(4 << 20, (word, stem) => stringBytes(word) + stringBytes(stem));

  /** The index's stem of a word (a word the tokenizer splits gets its stems joined), kept in `memo`. */
  const stemKeptIn =
    (memo: BoundedMemo<string>) =>
    (word: string): string => {
      let stem = memo.get(word);
      if (stem === undefined) {
        stem = stemmer.stemOf(word);
        memo.set(word, stem);
      }
      return stem;
    };
  const stemOf = stemKeptIn(stemCache);
  const stemOfTextWord = stemKeptIn(textStems);

  return {
    /** The index's stem of each word (one word each; a word the tokenizer splits gets its stems joined). */
    stems: (words: string[]): string[] => words.map(stemOf),
    /**
     * How many articles use words starting with `prefix` (an indexed term's start), roughly.
     * Counts are kept for a few minutes: they only steer how a search is ranked, and a common
     * word stays common.
     */
    prefixFrequency: (prefix: string): number => remembered(`*${prefix}`, () => prefixDocs.get(prefix, `${prefix}\uffff`)!),
    /** Whether more than `threshold` articles match `match` (one word); kept for a few minutes like prefixFrequency. */
    matchesMoreThan: (match: string, threshold: number): boolean =>
      remembered(`${threshold}>${match}`, () => matchingUpTo.get(match, threshold + 1)!) > threshold,
    /** About how many articles there are (the highest id: cheap, and enough for proportions). */
    approximateArticleCount: (): number => articleCount.get()!,
    /**
     * Runs a search's reads in one read transaction: they all see the archive as it was when the
     * first began (a story published between finding the candidates and reading their rows does
     * not half-appear), and each statement no longer takes and leaves a read lock of its own.
     */
    inOneSnapshot: <T>(work: () => T): T => db.transaction(work).deferred(),

    /**
     * Visible articles matching `match` and the filters, most recently added first: at most
     * `limit`, from at most the newest `scan` matches (-1: all). Says how many matches were read,
     * the lowest id among them, and whether they were all there are. `few`: the caller knows that
     * at most this many stories match (0: it does not); they are then read oldest first, all at
     * once, which is quicker for several words (see matchesUpTo). More than that, and they are
     * read newest first after all. `words`: the query is single words, all required, split into
     * common and rare ones (WordsOfQuery); outside a section, the common words' matches then come
     * from their kept sets (word-sets-repository.ts), with the same results.
     */
    newestMatches(match: SearchMatch, filters: SearchFilters, limit: number, scan: number, few = 0, words?: WordsOfQuery): NewestMatches {
      const most = scan < 0 ? Infinity : scan;
      // Within sections, the words-only index reads only their stories (sectionWords).
      if (filters.sectionIds?.length === 0) return { candidates: [], read: 0, lowestRead: null, exhausted: true };
      const inSections = match.singleTokens && filters.sectionIds !== null;
      const expression = inSections ? `(${match.expression}) AND (${sectionWords(filters.sectionIds!)})` : match.expression;
      const filtered = filters.from !== null || filters.to !== null || (filters.sectionIds !== null && !inSections);
      visible.refresh();
      const shown = visible.filter(filters);
      const candidates: SearchCandidate[] = [];
      let read = 0;
      let lowestRead: number | null = null;
      /** Takes the next match, newest first; true once the candidates are complete. */
      const take = (id: number): boolean => {
        read += 1;
        lowestRead = id;
        const publishedAt = shown(id);
        return publishedAt !== undefined && candidates.push({ id, published_at: publishedAt }) === limit;
      };
      // A query of single words with a common one, within no section: its matches from the common
      // words' kept sets (the same matches, in the same order, as the index gives).
      if (words && words.common.length > 0 && filters.sectionIds === null) {
        const sets = wordSets.storiesWithWords(words.common.map((word) => ({ word, stem: stemOf(word) })));
        let full = false;
        const visit = (id: number): boolean => (full = take(id)) || read >= most;
        if (words.rare === null) {
          visitCommonIdsNewestFirst(sets, visit);
          return { candidates, read, lowestRead, exhausted: !full && read < most };
        }
        // The other words are each in few stories: all their matches at once, then tested newest first.
        const rare = matchesUpTo(match).all(words.rare, -1);
        for (let i = rare.length - 1; i >= 0; i -= 1) {
          const id = rare[i]!;
          if (sets.every((set) => setHas(set, id)) && visit(id)) return { candidates, read, lowestRead, exhausted: false };
        }
        return { candidates, read, lowestRead, exhausted: true };
      }
      const all = few > 0 ? matchesUpTo(match).all(expression, few + 1) : null;
      if (all && all.length <= few) {
        for (let i = all.length - 1; i >= 0 && read < most; i -= 1) {
          if (take(all[i]!)) return { candidates, read, lowestRead, exhausted: false };
        }
        return { candidates, read, lowestRead, exhausted: read === all.length };
      }
      // Filters thin the matches out: read a stretch, and a longer one below it when it was not
      // enough. (Reading the ids in stretches with all() measured faster than one at a time with
      // iterate().)
      let stretch = filtered ? Math.max(2000, limit * 2) : limit + 64;
      for (;;) {
        const wanted = Math.min(stretch, most - read);
        const ids = newestIdsBelow(match).all(expression, lowestRead ?? Number.MAX_SAFE_INTEGER, wanted);
        for (const id of ids) if (take(id)) return { candidates, read, lowestRead, exhausted: false };
        if (ids.length < wanted) return { candidates, read, lowestRead, exhausted: true };
        if (read >= most) return { candidates, read, lowestRead, exhausted: false };
        stretch *= 8;
      }
    },
    /** Reads which stories may be shown now, as the first search would (0.1–0.3 s on 100,000 stories). */
    readVisibleStories: (): void => visible.refresh(),
    /** bm25 scores (lower is better) of the stories `ids` that match `match` (a story that does not has none). */
    scores(match: string, ids: number[]): Map<number, number> {
      if (ids.length === 0) return new Map();
      let minId = ids[0]!;
      for (const id of ids) if (id < minId) minId = id;
      const scored = new Map<number, number>();
      for (const [id, score] of scores.all({ match, minId, ids: JSON.stringify(ids) })) scored.set(id, score);
      return scored;
    },
    /**
     * Ids of the stories whose headline has `word` (a single token: any word with its stem, as
     * the index reads it), in ascending order: all those with an id of at least minId, and maybe
     * some older. Read within the search's snapshot like the rest, and kept until the content
     * changes.
     */
    storiesWithWordInHeadline(word: string, minId: number): Int32Array {
      const version = contentVersion.get()!;
      if (version !== headlineListsVersion) {
        headlineLists.clear();
        headlineListsVersion = version;
      }
      const stem = stemOf(word);
      const kept = headlineLists.get(stem);
      if (kept && kept.from <= minId) return kept.ids;
      const older = headlineWordIdsBetween.all(`"${word.replace(/"/g, '""')}"`, minId, kept ? kept.from : Number.MAX_SAFE_INTEGER);
      const ids = new Int32Array(older.length + (kept ? kept.ids.length : 0));
      ids.set(older);
      if (kept) ids.set(kept.ids, older.length);
      headlineLists.set(stem, { from: minId, ids });
      return ids;
    },
    /** Ids of stories whose headline matches `match`, with an id of at least minId. */
    headlineMatches: (match: string, minId: number): Set<number> => new Set(headlineIds.all({ match, minId })),
    /** The rows for a page of results, with the searched words marked (highlight()), in the order of `ids`. */
    hits: (match: string, ids: number[]): MarkedHit[] =>
      ids.flatMap((id) => {
        const columns = hit.get({ match, id });
        return columns ? [{ row: hitRow(columns), markedDeck: columns.marked_deck, markedBody: columns.marked_body }] : [];
      }),
    /** The rows for a page of results with their deck and body unmarked, in the order of `ids` (marked by word-marks.ts). */
    plainHits: (ids: number[]): PlainHit[] =>
      ids.flatMap((id) => {
        const columns = plainHit.get(id);
        return columns ? [{ row: hitRow(columns), deck: columns.deck, body: columns.body_text }] : [];
      }),
    /**
     * The index's stem of a word of a result's text, kept apart from searched words' stems (many
     * more words), and whether a character makes words: what word-marks.ts asks.
     */
    textWords: { stemOf: stemOfTextWord, isWordCharacter: stemmer.isWordCharacter },

    /**
     * Headline, deck and topic words starting with `prefix`, with how many stories use them. Kept
     * for a few minutes: "did you mean" reads every word of a letter (on 100,000 stories, 1,300 to
     * 2,700 words and 3-14 ms, since fts5vocab counts each word's stories), and a few minutes' new
     * headlines change little about which known word is nearest.
     */
    wordsStartingWith: (prefix: string): { term: string; doc: number }[] => {
      const cached = wordsByPrefix.get(prefix);
      if (cached && Date.now() - cached.at < FREQUENCY_TTL_MS) return cached.words;
      const words = wordsNear.all(prefix, `${prefix}\uffff`);
      wordsByPrefix.set(prefix, { words, at: Date.now() });
      return words;
    },
    isKnownWord: (word: string): boolean => (wordExists.get(word) ?? 0) > 0,
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;

/**
 * A hit's row, with its photo's columns gathered into the photo's row (null: the story has none).
 * Written out field by field: an object rest (`...row`) over a row this wide cost about 10 µs a
 * row, a fifth of reading it.
 */
function hitRow(r: ArticleSummaryRow & PhotoColumns): SearchHitRow {
  return {
    id: r.id,
    section_id: r.section_id,
    section_path: r.section_path,
    slug: r.slug,
    headline: r.headline,
    deck: r.deck,
    byline: r.byline,
    hero_photo_id: r.hero_photo_id,
    status: r.status,
    published_at: r.published_at,
    updated_at: r.updated_at,
    photo:
      r.photo_id === null
        ? null
        : {
            id: r.photo_id,
            sha256: r.photo_sha256!,
            format: r.photo_format!,
            width: r.photo_width!,
            height: r.photo_height!,
            bytes: r.photo_bytes!,
            alt: r.photo_alt!,
            caption: r.photo_caption!,
            credit: r.photo_credit!,
          },
  };
}
