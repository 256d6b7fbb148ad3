import type { ArticleSummaryRow } from '../articles/articles-repository';
import type { PhotoRow } from '../photos/photos-repository';
import { dateView, type DateView } from './format-date';
import { variantWidthsFor } from '../photos/photo-store';
import type { SectionDirectory } from './section-directory';
import { articlePath, photoVariantPath, sectionPathUrl } from './site-urls';

// Plain objects the templates render. Templates never see a database row or a request.

export type LinkView = { text: string; url: string };

export type PhotoView = {
  src: string;
  jpegSrcset: string;
  webpSrcset: string;
  sizes: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
};

/** Surrogate keys every page carries: the parts of the layout any edit may change. */
export const LAYOUT_CACHE_KEYS = ['layout', 'promo', 'offer', 'sections'] as const;

export type StoryCardView = {
  /** The CDN key of the story, so that editing it purges every page that lists it. */
  cacheKey: string;
  headline: string;
  url: string;
  deck: string;
  byline: string;
  section: LinkView;
  date: DateView;
  photo: PhotoView | null;
};

/**
 * A photo with its srcset in WebP and JPEG. `sizes` says how wide it is drawn, so the browser
 * fetches the smallest variant that is sharp enough; width and height keep the layout still.
 */
export function photoView(photo: PhotoRow, sizes: string): PhotoView {
  const widths = variantWidthsFor(photo.width);
  const srcset = (format: 'jpg' | 'webp') => widths.map((w) => `${photoVariantPath(photo.sha256, w, format)} ${w}w`).join(', ');
  const fallbackWidth = widths.find((w) => w >= 640) ?? widths[widths.length - 1]!;
  return {
    src: photoVariantPath(photo.sha256, fallbackWidth, 'jpg'),
    jpegSrcset: srcset('jpg'),
    webpSrcset: srcset('webp'),
    sizes,
    width: photo.width,
    height: photo.height,
    alt: photo.alt,
    caption: photo.caption,
    credit: photo.credit,
  };
}

/** The largest JPEG variant, for link previews (og:image) and structured data. */
export function largestVariant(photo: PhotoRow): { path: string; width: number; height: number } {
  const width = variantWidthsFor(photo.width).at(-1)!;
  return { path: photoVariantPath(photo.sha256, width, 'jpg'), width, height: Math.round((photo.height * width) / photo.width) };
}

export const THUMBNAIL_SIZES = '(max-width: 600px) 30vw, 160px';

export function storyCardView(
  row: ArticleSummaryRow,
  sections: SectionDirectory,
  findPhoto: (id: number) => PhotoRow | undefined,
  photoSizes = THUMBNAIL_SIZES,
): StoryCardView {
  const section = sections.byIdOrThrow(row.section_id);
  const photo = row.hero_photo_id === null ? undefined : findPhoto(row.hero_photo_id);
  return {
    cacheKey: `article-${row.id}`,
    headline: row.headline,
    url: articlePath(row.section_path, row.published_at, row.slug),
    deck: row.deck,
    byline: row.byline,
    section: { text: section.name, url: sectionPathUrl(section.path) },
    date: dateView(row.published_at),
    photo: photo ? photoView(photo, photoSizes) : null,
  };
}
