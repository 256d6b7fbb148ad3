import { Feed } from 'feed';
import { js2xml, xml2js, type Element } from 'xml-js';
import type { ArticleRow } from '../articles/articles-repository';
import type { BodyBlock } from '../articles/article-body';
import { articleBodyHtml } from './article-body-html';
import type { PageContext } from '../site/page-context';
import type { SectionDirectory, SectionNode } from '../site/section-directory';
import { absoluteUrl, articlePath, sectionPathUrl } from '../site/site-urls';
import { largestVariant } from '../site/view-models';
import { feedPath, type FeedFormat } from './feed-paths';

// RSS 2.0 and Atom 1.0 come from the `feed` library. It has no Media RSS and writes JSON Feed 1.0,
// so RSS gets its <media:content> added to the library's own document tree, and JSON Feed 1.1 is
// written here from the same items.

export const FEED_SIZE = 50;
export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

type FeedItem = {
  id: string;
  url: string;
  title: string;
  summary: string;
  html: string;
  published: Date;
  modified: Date;
  author: string;
  section: string;
  image: { url: string; width: number; height: number; caption: string; credit: string; alt: string } | null;
};

function feedItems(context: PageContext, directory: SectionDirectory, rows: ArticleRow[]): FeedItem[] {
  const { siteUrl } = context.config;
  const findPhoto = context.content.photos.findById;
  return rows.map((row) => {
    const url = absoluteUrl(siteUrl, articlePath(row.section_path, row.published_at, row.slug));
    const photo = row.hero_photo_id === null ? undefined : findPhoto(row.hero_photo_id);
    const variant = photo ? largestVariant(photo) : null;
    return {
      id: url,
      url,
      title: row.headline,
      summary: row.deck,
      html: articleBodyHtml(JSON.parse(row.body_json) as BodyBlock[], siteUrl, findPhoto),
      published: new Date(row.published_at),
      modified: new Date(row.updated_at ?? row.published_at),
      author: row.byline.replace(/,.*$/, '').trim() || context.config.siteName,
      section: directory.byIdOrThrow(row.section_id).name,
      image:
        photo && variant
          ? {
              url: absoluteUrl(siteUrl, variant.path),
              width: variant.width,
              height: variant.height,
              caption: photo.caption,
              credit: photo.credit,
              alt: photo.alt,
            }
          : null,
    };
  });
}

export type BuiltFeed = { body: string; itemKeys: string[] };

export function buildFeed(
  context: PageContext,
  directory: SectionDirectory,
  section: SectionNode | null,
  format: FeedFormat,
  now: string,
): BuiltFeed {
  const { config } = context;
  const rows = context.content.syndication.latestFull(section ? directory.subtreeIds(section) : null, now, FEED_SIZE);
  const items = feedItems(context, directory, rows);
  const title = section ? `${config.siteName}: ${section.name}` : config.siteName;
  const homeUrl = absoluteUrl(config.siteUrl, section ? sectionPathUrl(section.path) : '/');
  const selfUrl = (f: FeedFormat) => absoluteUrl(config.siteUrl, feedPath(section, f));
  const description = section?.description || `News and ideas from ${config.siteName}.`;
  const updated = items.reduce((latest, item) => (item.modified > latest ? item.modified : latest), new Date(0));
  const itemKeys = rows.map((row) => `article-${row.id}`);

  if (format === 'json') {
    const feed = {
      version: 'https://jsonfeed.org/version/1.1',
      title,
      home_page_url: homeUrl,
      feed_url: selfUrl('json'),
      description,
      language: 'en',
      icon: absoluteUrl(config.siteUrl, context.assets.url('logo.png')),
      authors: [{ name: config.siteName, url: absoluteUrl(config.siteUrl, '/') }],
      items: items.map((item) => ({
        id: item.id,
        url: item.url,
        title: item.title,
        summary: item.summary || undefined,
        content_html: item.html,
        image: item.image?.url,
        date_published: item.published.toISOString(),
        date_modified: item.modified.toISOString(),
        authors: [{ name: item.author }],
        tags: [item.section],
      })),
    };
    return { body: JSON.stringify(feed, null, 2), itemKeys };
  }

  const feed = new Feed({
    id: homeUrl,
    title,
    description,
    link: homeUrl,
    language: 'en',
    image: absoluteUrl(config.siteUrl, context.assets.url('logo.png')),
    favicon: absoluteUrl(config.siteUrl, context.assets.url('icon.svg')),
    copyright: `© ${config.siteName}`,
    updated: items.length > 0 ? updated : new Date(now),
    generator: config.siteName,
    feedLinks: { rss: selfUrl('rss'), atom: selfUrl('atom'), json: selfUrl('json') },
    author: { name: config.siteName, link: absoluteUrl(config.siteUrl, '/') },
  });
  for (const item of items) {
    feed.addItem({
      title: item.title,
      id: item.id,
      link: item.url,
      description: item.summary,
      content: item.html,
      date: item.modified,
      published: item.published,
      author: [{ name: item.author }],
      category: [{ name: item.section }],
      image: item.image ? { url: item.image.url, type: 'image/jpeg' } : undefined,
    });
  }
  if (format === 'atom') return { body: feed.atom1(), itemKeys };
  return { body: withMediaContent(feed.rss2(), items), itemKeys };
}

/** Adds Media RSS (<media:content> with size, caption and credit) to each item that has a photo. */
function withMediaContent(rss: string, items: FeedItem[]): string {
  const document = xml2js(rss, { compact: false }) as Element;
  const root = document.elements!.find((element) => element.name === 'rss')!;
  root.attributes = { ...root.attributes, 'xmlns:media': 'http://search.yahoo.com/mrss/' };
  const channel = root.elements!.find((element) => element.name === 'channel')!;
  const itemElements = channel.elements!.filter((element) => element.name === 'item');
  itemElements.forEach((element, index) => {
    const image = items[index]?.image;
    if (!image) return;
    const text = (name: string, value: string, attributes?: Record<string, string>): Element => ({
      type: 'element',
      name,
      attributes,
      elements: [{ type: 'text', text: value }],
    });
    element.elements = [
      ...(element.elements ?? []),
      {
        type: 'element',
        name: 'media:content',
        attributes: { url: image.url, medium: 'image', type: 'image/jpeg', width: String(image.width), height: String(image.height) },
        elements: [
          ...(image.caption ? [text('media:description', image.caption)] : []),
          ...(image.credit ? [text('media:credit', image.credit)] : []),
          text('media:title', image.alt),
        ],
      },
    ];
  });
  return js2xml(document, { spaces: 4 });
}
