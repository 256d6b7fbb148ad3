import { feedPath } from './feed-paths';
import type { PageContext, PageMeta } from '../site/page-context';
import type { SectionDirectory } from '../site/section-directory';
import { buildChrome, type ChromeView } from '../site/site-chrome';
import { absoluteUrl } from '../site/site-urls';
import { LAYOUT_CACHE_KEYS } from '../site/view-models';

export type FeedRowView = { name: string; indent: boolean; rss: string; atom: string; json: string };
export type FeedsPageView = { chrome: ChromeView; meta: PageMeta; cacheKeys: string[]; feeds: FeedRowView[] };

/** /feeds: every feed the site offers, all stories first, then each section and subsection. */
export function buildFeedsPage(context: PageContext, directory: SectionDirectory, now: string): FeedsPageView {
  const row = (name: string, section: { path: string } | null, indent: boolean): FeedRowView => ({
    name,
    indent,
    rss: feedPath(section, 'rss'),
    atom: feedPath(section, 'atom'),
    json: feedPath(section, 'json'),
  });
  return {
    chrome: buildChrome(context, directory, { now, path: '/feeds' }),
    meta: {
      title: `Feeds - ${context.config.siteName}`,
      description: `RSS, Atom and JSON feeds of ${context.config.siteName}, for all stories and for each section.`,
      canonicalUrl: absoluteUrl(context.config.siteUrl, '/feeds'),
      ogType: 'website',
      image: null,
      jsonLd: null,
      robots: null,
      extraMeta: [],
    },
    cacheKeys: ['feeds', ...LAYOUT_CACHE_KEYS],
    feeds: [
      row('All stories', null, false),
      ...directory.topLevel.flatMap((top) => [row(top.name, top, false), ...top.children.map((child) => row(child.name, child, true))]),
    ],
  };
}
