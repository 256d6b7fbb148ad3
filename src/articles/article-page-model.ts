import { NotFoundError } from '../errors';
import type { ArticleLocatorRow } from './articles-repository';
import type { BodyBlock } from './article-body';
import { dateTimeView, dateView, type DateView } from '../site/format-date';
import { serialiseJsonLd, type PageContext, type PageMeta } from '../site/page-context';
import type { SectionDirectory, SectionNode } from '../site/section-directory';
import { buildChrome, type ChromeView } from '../site/site-chrome';
import { absoluteUrl, articlePath, sectionPathUrl, topicPath } from '../site/site-urls';
import {
  LAYOUT_CACHE_KEYS,
  largestVariant,
  photoView,
  storyCardView,
  type LinkView,
  type PhotoView,
  type StoryCardView,
} from '../site/view-models';

export type InlineView = { text: string; url: string | null };

export type BlockView =
  | { type: 'paragraph'; id: string | null; inlines: InlineView[] }
  | { type: 'photo'; skipTo: string; photo: PhotoView }
  | { type: 'related'; skipTo: string; title: string; links: LinkView[] };

export type ArticlePageView = {
  chrome: ChromeView;
  meta: PageMeta;
  cacheKeys: string[];
  /** The stories and photos the page shows besides its own text: a change to one changes the page. */
  dependsOn: { articleIds: number[]; photoIds: number[] };
  article: {
    headline: string;
    deck: string;
    byline: string;
    published: DateView;
    updated: DateView | null;
    trail: LinkView[];
    hero: PhotoView | null;
    blocks: BlockView[];
    creditLine: string;
    /** Dated notes of corrections, oldest first. */
    corrections: { date: string; iso: string; text: string }[];
    topics: LinkView[];
    related: StoryCardView[];
  };
};

export type ArticleLookup =
  { kind: 'found'; article: ArticleLocatorRow; section: SectionNode; canonicalPath: string } | { kind: 'missing' };

const HERO_SIZES = '(max-width: 900px) 100vw, 760px';
const INLINE_SIZES = '(max-width: 900px) 100vw, 360px';
export const ARTICLE_END_ID = 'article-end';

/**
 * Finds the visible article a URL names by its slug (any case, or a former slug). When several
 * sections use the same slug, the one in the requested section wins. The caller redirects when
 * the canonical path differs from the one requested.
 */
export function findArticle(
  { content }: PageContext,
  directory: SectionDirectory,
  request: { sectionPath: string; slug: string; now: string },
): ArticleLookup {
  const candidates = content.articles.findVisibleBySlug(request.slug, request.now);
  const article =
    candidates.find((row) => directory.byIdOrThrow(row.section_id).path.toLowerCase() === request.sectionPath.toLowerCase()) ??
    candidates[0] ??
    content.articles.findVisibleByOldSlug(request.slug, request.now);
  return article ? foundArticle(directory, article) : { kind: 'missing' };
}

export function foundArticle(directory: SectionDirectory, article: ArticleLocatorRow): Extract<ArticleLookup, { kind: 'found' }> {
  const section = directory.byIdOrThrow(article.section_id);
  return { kind: 'found', article, section, canonicalPath: articlePath(section.path, article.published_at, article.slug) };
}

/** Lays the stored blocks out for the page: a "skip" target after each inline block. */
function blockViews(context: PageContext, blocks: BodyBlock[]): BlockView[] {
  const targetOf = (index: number) => {
    const next = blocks.findIndex((block, i) => i > index && block.type === 'paragraph');
    return next === -1 ? ARTICLE_END_ID : `para-${next + 1}`;
  };
  const targets = new Set(blocks.map((block, index) => (block.type === 'paragraph' ? null : targetOf(index))));
  return blocks.flatMap((block, index): BlockView[] => {
    switch (block.type) {
      case 'paragraph': {
        const id = `para-${index + 1}`;
        return [
          {
            type: 'paragraph',
            id: targets.has(id) ? id : null,
            inlines: block.inlines.map((inline) => ({
              text: inline.text,
              url: inline.type === 'topic' ? topicPath(inline.slug) : inline.type === 'link' ? inline.href : null,
            })),
          },
        ];
      }
      case 'photo': {
        const photo = context.content.photos.findById(block.photoId);
        return photo ? [{ type: 'photo', skipTo: targetOf(index), photo: photoView(photo, INLINE_SIZES) }] : [];
      }
      case 'related':
        return [
          { type: 'related', skipTo: targetOf(index), title: block.title, links: block.links.map((l) => ({ text: l.text, url: l.href })) },
        ];
    }
  });
}

export function buildArticlePage(
  context: PageContext,
  directory: SectionDirectory,
  found: Extract<ArticleLookup, { kind: 'found' }>,
  now: string,
): ArticlePageView {
  const { content, config } = context;
  const { section } = found;
  const article = content.articles.findById(found.article.id);
  // Deleted between finding it and rendering it.
  if (!article) throw new NotFoundError('We could not find that story.');
  const heroRow = article.hero_photo_id === null ? undefined : content.photos.findById(article.hero_photo_id);
  const hero = heroRow ? photoView(heroRow, HERO_SIZES) : null;
  const blocks = JSON.parse(article.body_json) as BodyBlock[];
  const topics = content.topics.listForArticle(article.id);
  const relatedRows = content.articles.listRelated(article, now);
  const related = relatedRows.map((row) => storyCardView(row, directory, content.photos.findById));
  const updated = article.updated_at && article.updated_at > article.published_at ? article.updated_at : null;
  const canonicalUrl = absoluteUrl(config.siteUrl, found.canonicalPath);
  const description = article.deck || article.headline;
  const preview = heroRow ? largestVariant(heroRow) : null;
  const image =
    heroRow && preview
      ? { url: absoluteUrl(config.siteUrl, preview.path), width: preview.width, height: preview.height, alt: heroRow.alt }
      : null;
  const author = article.byline.replace(/,.*$/, '').trim() || config.siteName;
  const corrections = content.corrections.forArticle(article.id);

  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.headline,
    description,
    mainEntityOfPage: canonicalUrl,
    url: canonicalUrl,
    image: image ? [image.url] : [],
    datePublished: article.published_at,
    dateModified: updated ?? article.published_at,
    articleSection: section.name,
    author: [{ '@type': article.source && author === article.source ? 'Organization' : 'Person', name: author }],
    publisher: {
      '@type': 'Organization',
      name: config.siteName,
      logo: { '@type': 'ImageObject', url: absoluteUrl(config.siteUrl, context.assets.url('logo.png')), width: 600, height: 60 },
    },
    isAccessibleForFree: true,
    ...(corrections.length > 0
      ? { correction: corrections.map((note) => ({ '@type': 'CorrectionComment', text: note.text, datePublished: note.notedAt })) }
      : {}),
  };

  return {
    chrome: buildChrome(context, directory, { now, path: found.canonicalPath, currentSection: section }),
    cacheKeys: [
      `article-${article.id}`,
      ...directory.trail(section).map((node) => `section-${node.id}`),
      ...topics.map((topic) => `topic-${topic.id}`),
      ...related.map((story) => story.cacheKey),
      ...LAYOUT_CACHE_KEYS,
    ],
    dependsOn: {
      articleIds: relatedRows.map((row) => row.id),
      photoIds: [
        ...[article.hero_photo_id, ...relatedRows.map((row) => row.hero_photo_id)].filter((id): id is number => id !== null),
        ...blocks.flatMap((block) => (block.type === 'photo' ? [block.photoId] : [])),
      ],
    },
    meta: {
      title: `${article.headline} - ${config.siteName}`,
      description,
      canonicalUrl,
      ogType: 'article',
      image,
      jsonLd: serialiseJsonLd(jsonLd),
      robots: null,
      extraMeta: [
        { property: 'article:published_time', content: article.published_at },
        { property: 'article:modified_time', content: updated ?? article.published_at },
        { property: 'article:section', content: section.name },
        ...topics.map((topic) => ({ property: 'article:tag', content: topic.name })),
      ],
    },
    article: {
      headline: article.headline,
      deck: article.deck,
      byline: article.byline,
      published: dateView(article.published_at),
      updated: updated ? dateTimeView(updated) : null,
      trail: directory.trail(section).map((node) => ({ text: node.name, url: sectionPathUrl(node.path) })),
      hero,
      blocks: blockViews(context, blocks),
      creditLine: article.credit_line,
      corrections: corrections.map((note) => ({ date: dateView(note.notedAt).text, iso: note.notedAt, text: note.text })),
      topics: topics.map((topic) => ({ text: topic.name, url: topicPath(topic.slug) })),
      related,
    },
  };
}
