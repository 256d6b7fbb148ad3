import { BadRequestError, NotFoundError } from '../errors';
import { MARK_END, MARK_START } from './search-repository';
import type { SearchQuery } from './search-request';
import { paginate, type PaginationView } from '../fronts/listing-pages';
import type { PageContext, PageMeta } from '../site/page-context';
import type { SearchFindings, SearchTask } from './search-findings';
import {
  compileSearchQuery,
  MAX_PREFIX_TERMS,
  MAX_QUERY_CHARS,
  MAX_QUERY_TERMS,
  MIN_PREFIX_CHARS,
  type CompiledSearchQuery,
} from './search-query';
import type { SectionDirectory, SectionNode } from '../site/section-directory';
import { absoluteUrl } from '../site/site-urls';
import { LAYOUT_CACHE_KEYS, storyCardView, type LinkView, type StoryCardView } from '../site/view-models';

export const RESULTS_PER_PAGE = 10;

export type SnippetPart = { text: string; marked: boolean };
export type SearchResultView = StoryCardView & { snippet: SnippetPart[] };

/** A results page's own parts: its layout around them is kept (search-layout.ts). */
export type SearchPageView = {
  meta: PageMeta;
  cacheKeys: string[];
  query: string;
  searched: boolean;
  total: number;
  summary: string;
  notes: string[];
  results: SearchResultView[];
  pagination: PaginationView | null;
  suggestion: LinkView | null;
  recent: StoryCardView[];
  filters: {
    sections: { value: string; text: string; selected: boolean }[];
    from: string;
    to: string;
    sort: 'relevance' | 'newest';
  };
};

/** Splits a snippet at its marks: the page escapes every part and only wraps marked ones. */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const piece of snippet.split(MARK_START)) {
    const end = piece.indexOf(MARK_END);
    if (end === -1) {
      if (piece) parts.push({ text: piece, marked: false });
      continue;
    }
    parts.push({ text: piece.slice(0, end), marked: true });
    const rest = piece.slice(end + 1).replaceAll(MARK_END, '');
    if (rest) parts.push({ text: rest, marked: false });
  }
  return parts;
}

/** The search URL for these parameters, leaving out the defaults. */
export function searchUrl(query: Partial<Omit<SearchQuery, 'page'>> & { page?: number }): string {
  const params = new URLSearchParams();
  params.set('q', query.q ?? '');
  if (query.section) params.set('section', query.section);
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.sort && query.sort !== 'relevance') params.set('sort', query.sort);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  return `/search?${params.toString()}`;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

/** What a search needs worked out before it runs: the parsed query, its notes, and the task (null: nothing to search). */
export type PreparedSearch = { compiled: CompiledSearchQuery; section: SectionNode | undefined; notes: string[]; task: SearchTask };

export function prepareSearch(directory: SectionDirectory, query: SearchQuery, now: string): PreparedSearch {
  const section = query.section ? directory.findByPath(query.section) : undefined;
  if (query.section && !section)
    throw new BadRequestError('The search has a problem we could not work around.', [`section: there is no section "${query.section}"`]);

  const compiled = compileSearchQuery(query.q);
  const notes: string[] = [];
  if (compiled.truncated) {
    notes.push(`Your search was long, so we searched for its first ${MAX_QUERY_CHARS} characters or ${MAX_QUERY_TERMS} words.`);
  }
  if (compiled.tooBroad.length > 0) {
    notes.push(
      `${compiled.tooBroad.join(', ')} would match too much, so we left ${compiled.tooBroad.length === 1 ? 'it' : 'them'} out. ` +
        `Add a word, or type at least ${MIN_PREFIX_CHARS} letters before a *, in at most ${MAX_PREFIX_TERMS} words with a *.`,
    );
  }
  if (!compiled.match && query.q.trim() && compiled.words.length === 0 && compiled.tooBroad.length === 0) {
    notes.push('Your search had no words we could look for. Try a word or two from the story you want.');
  }
  const task: SearchTask = {
    clauses: compiled.match ? compiled.clauses : [],
    words: compiled.words,
    filters: {
      now,
      sectionIds: section ? directory.subtreeIds(section) : null,
      from: query.from ? `${query.from}T00:00:00.000Z` : null,
      to: query.to ? nextDay(query.to) : null,
    },
    sort: query.sort,
    limit: RESULTS_PER_PAGE,
    offset: (query.page - 1) * RESULTS_PER_PAGE,
  };
  return { compiled, section, notes, task };
}

/** The results page from what the search found (findResults, on a search thread or inline). */
export function buildSearchPage(
  context: PageContext,
  directory: SectionDirectory,
  query: SearchQuery,
  prepared: PreparedSearch,
  findings: SearchFindings,
  now: string,
): SearchPageView {
  const { content, config } = context;
  const { notes, section } = prepared;
  const findPhoto = content.photos.findById;
  const card = (row: Parameters<typeof storyCardView>[0]) => storyCardView(row, directory, findPhoto);

  const { total, more, estimate } = findings;
  let results: SearchResultView[] = [];
  let pagination: PaginationView | null = null;
  if (total > 0) {
    pagination = paginate(total, query.page, (page) => searchUrl({ ...query, page }), RESULTS_PER_PAGE);
    // A hit brings its photo's row from the search thread.
    results = findings.hits.map((hit) => ({
      ...storyCardView(hit, directory, () => hit.photo ?? undefined),
      snippet: snippetParts(hit.snippet),
    }));
  } else if (query.page > 1 && prepared.compiled.match) {
    throw new NotFoundError('There are no results on that page.');
  }
  const suggested = findings.suggestion;
  const searched = query.q.trim() !== '';
  const summary = !searched
    ? 'Search the site'
    : total === 0
      ? `No results for “${query.q.trim()}”`
      : estimate !== null
        ? `About ${estimate.toLocaleString('en-US')} results for “${query.q.trim()}”`
        : more
          ? `More than ${total.toLocaleString('en-US')} results for “${query.q.trim()}”`
          : `${total.toLocaleString('en-US')} ${total === 1 ? 'result' : 'results'} for “${query.q.trim()}”`;

  return {
    meta: {
      title: `${searched ? `${query.q.trim().slice(0, 80)} - Search` : 'Search'} - ${config.siteName}`,
      description: `Search ${config.siteName}.`,
      canonicalUrl: absoluteUrl(config.siteUrl, '/search'),
      ogType: 'website',
      image: null,
      jsonLd: null,
      // Result pages are for readers, not for search engines' indexes.
      robots: 'noindex, follow',
      extraMeta: [],
    },
    cacheKeys: ['search', ...results.map((result) => result.cacheKey), ...LAYOUT_CACHE_KEYS],
    query: query.q,
    searched,
    total,
    summary,
    notes,
    results,
    pagination,
    suggestion: suggested ? { text: suggested, url: searchUrl({ ...query, q: suggested, page: 1 }) } : null,
    recent: total === 0 ? content.articles.listLatest(now, 5).map(card) : [],
    filters: {
      sections: [
        { value: '', text: 'All sections', selected: !section },
        ...directory.topLevel.flatMap((top) =>
          [top, ...top.children].map((node) => ({
            value: node.path,
            text: node.parent ? `${node.parent.name} › ${node.name}` : node.name,
            selected: node.id === section?.id,
          })),
        ),
      ],
      from: query.from ?? '',
      to: query.to ?? '',
      sort: query.sort,
    },
  };
}
