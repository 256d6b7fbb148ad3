import type { SearchFilters, SearchRepository } from './search-repository';
import { runSearch, type SearchOutcome } from './search-plan';
import type { SearchClause } from './search-query';
import { suggestQuery } from './search-suggestion';

// The costly part of a search, from plain values to plain values, so that it can run on a search
// thread (search-threads.ts) as well as in the process: the candidates, their order, the page of
// hits with snippets, and "did you mean" when nothing matched. Everything else about the results
// page (the chrome, the cards, the notes) is built from these on the main thread.

export type SearchTask = {
  clauses: SearchClause[];
  /** The words searched for, for "did you mean". */
  words: string[];
  filters: SearchFilters;
  sort: 'relevance' | 'newest';
  limit: number;
  offset: number;
};

export type SearchFindings = SearchOutcome & { suggestion: string | null };

export function findResults(search: SearchRepository, task: SearchTask): SearchFindings {
  return search.inOneSnapshot(() => findInSnapshot(search, task));
}

function findInSnapshot(search: SearchRepository, task: SearchTask): SearchFindings {
  const outcome =
    task.clauses.length > 0
      ? runSearch(search, task.clauses, task.filters, task.sort, task.limit, task.offset)
      : { total: 0, more: false, estimate: null, hits: [] };
  const suggestion = outcome.total === 0 && task.words.length > 0 ? suggestQuery(search, task.words) : null;
  return { ...outcome, suggestion };
}
