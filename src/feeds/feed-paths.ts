import type { SectionNode } from '../site/section-directory';

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** /feeds/all.rss, /feeds/World/Asia-Pacific.atom, ... */
export const feedPath = (section: Pick<SectionNode, 'path'> | null, format: FeedFormat): string =>
  `/feeds/${section ? section.path : 'all'}.${format}`;
