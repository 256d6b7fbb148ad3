import { types } from 'node:util';
import type { PageContext, PageMeta } from './page-context';
import { buildChrome, type ChromeView } from './site-chrome';
import { absoluteUrl } from './site-urls';
import { storyCardView, type StoryCardView } from './view-models';

export type ErrorPageView = {
  chrome: ChromeView;
  meta: PageMeta;
  status: number;
  title: string;
  message: string;
  details: readonly string[];
  recent: StoryCardView[];
  /** The error and its stack, shown to the developer in development only (never in production). */
  developerTrace: string | null;
};

const FALLBACK_CHROME = (context: PageContext): ChromeView => ({
  siteName: context.config.siteName,
  stylesheetUrl: context.assets.url('site.css'),
  iconUrl: context.assets.url('icon.svg'),
  nav: [],
  promo: null,
  offer: null,
  panelForm: { csrf: '', source: '/', consentText: '' },
  feedLinks: [],
  searchQuery: '',
  socialLinks: [],
});

/**
 * The page for a 4xx or 5xx answer, in the site's layout with the search box and recent stories.
 * When the database itself is the problem it still renders, with the chrome it can build.
 */
export function buildErrorPage(
  context: PageContext,
  error: { status: number; title: string; message: string; details: readonly string[] },
  now: string,
  cause?: unknown,
): ErrorPageView {
  let chrome: ChromeView;
  let recent: StoryCardView[] = [];
  try {
    const directory = context.content.sectionDirectory();
    chrome = buildChrome(context, directory, { now, path: '/' });
    if (error.status === 404) {
      recent = context.content.articles.listLatest(now, 5).map((row) => storyCardView(row, directory, context.content.photos.findById));
    }
  } catch {
    chrome = FALLBACK_CHROME(context);
  }
  return {
    chrome,
    meta: {
      title: `${error.title} - ${context.config.siteName}`,
      description: error.message,
      canonicalUrl: absoluteUrl(context.config.siteUrl, '/'),
      ogType: 'website',
      image: null,
      jsonLd: null,
      robots: 'noindex',
      extraMeta: [],
    },
    // Copied field by field: an Error's message is not an enumerable property, so a spread loses it.
    status: error.status,
    title: error.title,
    message: error.message,
    details: error.details,
    recent,
    developerTrace:
      // isNativeError too: errors made by native code (SQLite's) may come from another realm.
      context.config.env === 'development' && error.status >= 500 && (cause instanceof Error || types.isNativeError(cause))
        ? (cause.stack ?? `${cause.name}: ${cause.message}`)
        : null,
  };
}
