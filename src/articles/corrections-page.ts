import { paginate, type PaginationView } from '../fronts/listing-pages';
import type { PageContext, PageMeta } from '../site/page-context';
import type { SectionDirectory } from '../site/section-directory';
import { buildChrome, type ChromeView } from '../site/site-chrome';
import { absoluteUrl, articlePath } from '../site/site-urls';
import { dateView, type DateView } from '../site/format-date';
import { LAYOUT_CACHE_KEYS } from '../site/view-models';

// /corrections: every correction of a published story, newest first, linked to the story.

const PER_PAGE = 50;

export type CorrectionsPageView = {
  chrome: ChromeView;
  meta: PageMeta;
  cacheKeys: string[];
  corrections: { date: DateView; text: string; headline: string; url: string }[];
  pagination: PaginationView;
};

export function buildCorrectionsPage(context: PageContext, directory: SectionDirectory, page: number, now: string): CorrectionsPageView {
  const { corrections } = context.content;
  const pagination = paginate(corrections.count(now), page, (n) => (n > 1 ? `/corrections?page=${n}` : '/corrections'), PER_PAGE);
  const rows = corrections.list(now, PER_PAGE, pagination.offset);
  const path = page > 1 ? `/corrections?page=${page}` : '/corrections';
  return {
    chrome: buildChrome(context, directory, { now, path: '/corrections' }),
    meta: {
      title: `Corrections - ${context.config.siteName}`,
      description: `Corrections to stories published by ${context.config.siteName}, newest first.`,
      canonicalUrl: absoluteUrl(context.config.siteUrl, path),
      ogType: 'website',
      image: null,
      jsonLd: null,
      robots: null,
      extraMeta: [],
    },
    cacheKeys: ['corrections', ...new Set(rows.map((row) => `article-${row.articleId}`)), ...LAYOUT_CACHE_KEYS],
    corrections: rows.map((row) => ({
      date: dateView(row.notedAt),
      text: row.text,
      headline: row.headline,
      url: articlePath(row.sectionPath, row.publishedAt, row.slug),
    })),
    pagination,
  };
}
