import { escapeXML } from 'ejs';
import type { PageContext } from '../site/page-context';
import type { SectionDirectory } from '../site/section-directory';
import { buildChrome, type ChromeView } from '../site/site-chrome';
import type { TemplateRenderer } from '../site/template-renderer';
import { KeptLayouts, layoutGeneration, layoutMarker, splitOnce } from '../site/kept-layout';
import { weakEtag } from '../delivery/page-cache';
import type { SearchPageView } from './search-page';

// The layout of a search results page around its own parts, kept as articles' is
// (articles/article-layout.ts): the document start, navigation, the promo and offer panel, the
// footer are the same on every results page until the content, the panel token's period or the
// minute changes, so they are rendered once and kept as bytes. Each page then renders only its
// head (the title and description name the query) and its main, and the query in the header's
// search box. Every search that is answered is a page rendered for it (few queries repeat), and
// rendering the chrome with it was about as costly as the rest of the page.

const HEAD_SLOT = layoutMarker('head');
const QUERY_SLOT = layoutMarker('query');
const MAIN_SLOT = layoutMarker('main');

type SearchLayoutPieces = {
  /** The chrome the pieces were rendered with, for the page's head (stylesheet, feeds, icon). */
  chrome: ChromeView;
  /** Before the head, between the head and the header's query, between it and the main, after the main (UTF-8). */
  parts: [Buffer, Buffer, Buffer, Buffer];
};

export class SearchLayout {
  private readonly kept = new KeptLayouts<'search', SearchLayoutPieces>();

  constructor(
    private readonly context: PageContext,
    private readonly renderTemplate: TemplateRenderer,
  ) {}

  /** A whole results page, from the kept layout and the page's view (search-page.ts), with its ETag. */
  page(directory: SectionDirectory, options: { now: string; version: number }, view: SearchPageView): { body: Buffer; etag: string } {
    // In development templates are re-read on every request, so nothing made from them is kept.
    const layout =
      this.context.config.env === 'development'
        ? this.render(directory, options.now)
        : this.kept.get(layoutGeneration(options.version, options.now), 'search', () => this.render(directory, options.now));
    const [start, afterHead, afterQuery, end] = layout.parts;
    const body = Buffer.concat([
      start,
      Buffer.from(this.renderTemplate('partials/head', { view: { chrome: layout.chrome, meta: view.meta } })),
      afterHead,
      // Escaped as the template escapes text (EJS's escapeXML).
      Buffer.from(escapeXML(view.query)),
      afterQuery,
      Buffer.from(this.renderTemplate('partials/search-main', { view })),
      end,
    ]);
    return { body, etag: weakEtag(body) };
  }

  private render(directory: SectionDirectory, now: string): SearchLayoutPieces {
    const chrome = buildChrome(this.context, directory, { now, path: '/search', searchQuery: QUERY_SLOT });
    const html = this.renderTemplate('pages/search', { view: { chrome, slots: { head: HEAD_SLOT, main: MAIN_SLOT } } });
    const [start, rest] = splitOnce(html, HEAD_SLOT);
    const [afterHead, rest2] = splitOnce(rest, QUERY_SLOT);
    const [afterQuery, end] = splitOnce(rest2, MAIN_SLOT);
    return { chrome, parts: [Buffer.from(start), Buffer.from(afterHead), Buffer.from(afterQuery), Buffer.from(end)] };
  }
}
