import { NotFoundError } from '../errors';
import type { ArticleSummaryRow } from '../articles/articles-repository';
import { serialiseJsonLd, type PageContext, type PageMeta } from '../site/page-context';
import type { SectionDirectory, SectionNode } from '../site/section-directory';
import { buildChrome, type ChromeView } from '../site/site-chrome';
import { absoluteUrl, pagePath, sectionPathUrl, topicPath } from '../site/site-urls';
import { LAYOUT_CACHE_KEYS, storyCardView, type LinkView, type StoryCardView } from '../site/view-models';

// Fronts and topic pages: a heading and a river of stories, newest first, 20 a page.

export const STORIES_PER_PAGE = 20;
const LEAD_SIZES = '(max-width: 900px) 100vw, 640px';

export type PaginationView = { page: number; totalPages: number; previousUrl: string | null; nextUrl: string | null };

export type ListingPageView = {
  chrome: ChromeView;
  meta: PageMeta;
  cacheKeys: string[];
  heading: string;
  description: string;
  trail: LinkView[];
  subsections: LinkView[];
  stories: StoryCardView[];
  bySection: { section: LinkView; stories: StoryCardView[] }[];
  pagination: PaginationView;
};

/** The page's place in the river; a page past the last one does not exist. */
export function paginate(
  total: number,
  page: number,
  pageUrl: (page: number) => string,
  perPage = STORIES_PER_PAGE,
): PaginationView & { offset: number } {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  if (page > totalPages) throw new NotFoundError('There are no stories on that page.');
  return {
    page,
    totalPages,
    offset: (page - 1) * perPage,
    previousUrl: page > 1 ? pageUrl(page - 1) : null,
    nextUrl: page < totalPages ? pageUrl(page + 1) : null,
  };
}

function cards(context: PageContext, directory: SectionDirectory, rows: ArticleSummaryRow[]): StoryCardView[] {
  const findPhoto = context.content.photos.findById;
  // The first story on a page leads with a large photo; the rest get thumbnails.
  return rows.map((row, index) => storyCardView(row, directory, findPhoto, index === 0 ? LEAD_SIZES : undefined));
}

function listingMeta(context: PageContext, title: string, description: string, path: string, page: number, jsonLd: unknown): PageMeta {
  const { siteName, siteUrl } = context.config;
  return {
    title: page > 1 ? `${title} - page ${page} - ${siteName}` : `${title} - ${siteName}`,
    description,
    canonicalUrl: absoluteUrl(siteUrl, pagePath(path, page)),
    ogType: 'website',
    image: null,
    jsonLd: serialiseJsonLd(jsonLd),
    robots: null,
    extraMeta: [],
  };
}

export function buildFrontPage(context: PageContext, directory: SectionDirectory, page: number, now: string): ListingPageView {
  const { content, config } = context;
  const pagination = paginate(content.articles.countVisible(now), page, (n) => pagePath('/', n));
  const stories = cards(context, directory, content.articles.listLatest(now, STORIES_PER_PAGE, pagination.offset));
  const bySection =
    page === 1
      ? directory.topLevel
          .map((section) => ({
            section: { text: section.name, url: sectionPathUrl(section.path) },
            stories: content.articles
              .listLatestInSections(directory.subtreeIds(section), now, 3)
              .map((row) => storyCardView(row, directory, content.photos.findById)),
          }))
          .filter((group) => group.stories.length > 0)
      : [];
  const description = `News and ideas from ${config.siteName}: world, USA, business, science, environment and culture.`;
  return {
    chrome: buildChrome(context, directory, { now, path: pagePath('/', page) }),
    meta: listingMeta(context, 'Top stories', description, '/', page, {
      '@context': 'https://schema.org',
      '@type': 'WebSite',
      name: config.siteName,
      url: absoluteUrl(config.siteUrl, '/'),
      potentialAction: {
        '@type': 'SearchAction',
        target: `${absoluteUrl(config.siteUrl, '/search')}?q={search_term_string}`,
        'query-input': 'required name=search_term_string',
      },
    }),
    cacheKeys: [
      'front',
      ...stories.map((s) => s.cacheKey),
      ...bySection.flatMap((g) => g.stories.map((s) => s.cacheKey)),
      ...LAYOUT_CACHE_KEYS,
    ],
    heading: 'Top stories',
    description: '',
    trail: [],
    subsections: [],
    stories,
    bySection,
    pagination,
  };
}

export function buildSectionFront(
  context: PageContext,
  directory: SectionDirectory,
  section: SectionNode,
  page: number,
  now: string,
): ListingPageView {
  const { content, config } = context;
  const ids = directory.subtreeIds(section);
  const path = sectionPathUrl(section.path);
  const pagination = paginate(content.articles.countInSections(ids, now), page, (n) => pagePath(path, n));
  const stories = cards(context, directory, content.articles.listLatestInSections(ids, now, STORIES_PER_PAGE, pagination.offset));
  const trail = directory.trail(section).map((node) => ({ text: node.name, url: sectionPathUrl(node.path) }));
  return {
    chrome: buildChrome(context, directory, { now, path: pagePath(path, page), currentSection: section }),
    meta: listingMeta(context, section.name, section.description || `The latest ${section.name} stories.`, path, page, [
      { '@context': 'https://schema.org', '@type': 'CollectionPage', name: section.name, url: absoluteUrl(config.siteUrl, path) },
      {
        '@context': 'https://schema.org',
        '@type': 'BreadcrumbList',
        itemListElement: trail.map((link, index) => ({
          '@type': 'ListItem',
          position: index + 1,
          name: link.text,
          item: absoluteUrl(config.siteUrl, link.url),
        })),
      },
    ]),
    cacheKeys: [
      ...directory.trail(section).map((node) => `section-${node.id}`),
      `stories-section-${section.id}`,
      ...stories.map((s) => s.cacheKey),
      ...LAYOUT_CACHE_KEYS,
    ],
    heading: section.name,
    description: section.description,
    trail,
    subsections: section.children.map((child) => ({ text: child.name, url: sectionPathUrl(child.path) })),
    stories,
    bySection: [],
    pagination,
  };
}

export function buildTopicPage(
  context: PageContext,
  directory: SectionDirectory,
  topic: { id: number; slug: string; name: string },
  page: number,
  now: string,
): ListingPageView {
  const { content, config } = context;
  const path = topicPath(topic.slug);
  const pagination = paginate(content.articles.countForTopic(topic.id, now), page, (n) => pagePath(path, n));
  const stories = cards(context, directory, content.articles.listForTopic(topic.id, now, STORIES_PER_PAGE, pagination.offset));
  return {
    chrome: buildChrome(context, directory, { now, path: pagePath(path, page) }),
    meta: listingMeta(context, topic.name, `Stories about ${topic.name}.`, path, page, {
      '@context': 'https://schema.org',
      '@type': 'CollectionPage',
      name: topic.name,
      url: absoluteUrl(config.siteUrl, path),
    }),
    cacheKeys: [`topic-${topic.id}`, ...stories.map((s) => s.cacheKey), ...LAYOUT_CACHE_KEYS],
    heading: topic.name,
    description: `Stories about ${topic.name}, newest first.`,
    trail: [],
    subsections: [],
    stories,
    bySection: [],
    pagination,
  };
}
