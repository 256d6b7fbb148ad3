import { createHash } from 'node:crypto';
import { escapeXML } from 'ejs';
import type { PageContext } from '../site/page-context';
import type { SectionDirectory, SectionNode } from '../site/section-directory';
import { buildChrome, type PromoView } from '../site/site-chrome';
import type { TemplateRenderer } from '../site/template-renderer';
import { deflatePiece, gzipFromPieces, storedPiece } from '../delivery/gzip-pieces';
import { KeptLayouts, layoutGeneration, layoutMarker, splitOnce } from '../site/kept-layout';

// The layout of an article page around its stored parts: the document start, navigation, the
// promo and offer panel, the footer. It is the same for every story in a section (the navigation
// marks its top-level section; promos target sections) until the content version, the panel
// token's period or the minute (a promo's start or end, its rotation) changes, so it is rendered
// once per section and kept.
// It is rendered with markers where the story's parts and the panel's "source" path go, and
// split there; a page is then the pieces joined with the story's parts.

const HEAD_SLOT = layoutMarker('head');
const MAIN_SLOT = layoutMarker('main');
const SOURCE_SLOT = layoutMarker('source');

type LayoutParts = [Buffer, Buffer, Buffer, Buffer | null];

type LayoutPieces = {
  /** Before the head, between head and main, between main and the panel's source path, after it (UTF-8). */
  parts: LayoutParts;
  /** The same, as DEFLATE pieces for gzip bodies (gzip-pieces.ts). */
  deflated: LayoutParts;
  /** Changes whenever the pieces do; part of every page's ETag. */
  hash: string;
};

export class ArticleLayout {
  private readonly bySection = new KeptLayouts<number, LayoutPieces>();

  constructor(
    private readonly context: PageContext,
    private readonly renderTemplate: TemplateRenderer,
  ) {}

  /**
   * A whole page, in order: the layout for the story's section around its stored head and main.
   * When the story's compressed parts are given, the page as a gzip body too.
   */
  page(
    directory: SectionDirectory,
    options: { section: SectionNode; path: string; now: string; version: number; promoPreview?: PromoView },
    story: { head: Buffer; main: Buffer; hash: string; compressed?: { head: Buffer; main: Buffer } },
  ): { chunks: Buffer[]; gzipChunks?: Buffer[]; etag: string } {
    // A promo's preview is rendered for that one page, never kept.
    const layout = options.promoPreview
      ? this.render(directory, options.section, options.now, options.promoPreview)
      : this.piecesFor(directory, options);
    const [start, afterHead, afterMain, end] = layout.parts;
    // Not joined here: the front door writes the pieces to the socket as they are.
    const chunks = [start, story.head, afterHead, story.main, afterMain];
    const path = end ? Buffer.from(escapeXML(options.path)) : null;
    if (end) chunks.push(path!, end);
    const etag = `W/"${layout.hash}${story.hash}"`;
    if (!story.compressed) return { chunks, etag };

    const [zStart, zAfterHead, zAfterMain, zEnd] = layout.deflated;
    const pieces = [zStart, story.compressed.head, zAfterHead, story.compressed.main, zAfterMain];
    if (zEnd) pieces.push(storedPiece(path!), zEnd);
    return { chunks, gzipChunks: gzipFromPieces(pieces, chunks), etag };
  }

  private piecesFor(directory: SectionDirectory, options: { section: SectionNode; now: string; version: number }): LayoutPieces {
    // In development templates are re-read on every request, so nothing made from them is kept.
    if (this.context.config.env === 'development') return this.render(directory, options.section, options.now);
    return this.bySection.get(layoutGeneration(options.version, options.now), options.section.id, () =>
      this.render(directory, options.section, options.now),
    );
  }

  private render(directory: SectionDirectory, section: SectionNode, now: string, promoPreview?: PromoView): LayoutPieces {
    const chrome = buildChrome(this.context, directory, { now, path: SOURCE_SLOT, currentSection: section, promoPreview });
    const html = this.renderTemplate('pages/article', { view: { chrome, slots: { head: HEAD_SLOT, main: MAIN_SLOT } } });
    const [start, rest] = splitOnce(html, HEAD_SLOT);
    const [afterHead, rest2] = splitOnce(rest, MAIN_SLOT);
    // Without an active offer there is no panel, and so no source path to fill in.
    const [afterMain, end] = rest2.includes(SOURCE_SLOT) ? splitOnce(rest2, SOURCE_SLOT) : [rest2, null];
    const parts: LayoutParts = [Buffer.from(start), Buffer.from(afterHead), Buffer.from(afterMain), end === null ? null : Buffer.from(end)];
    return {
      parts,
      deflated: [deflatePiece(parts[0]), deflatePiece(parts[1]), deflatePiece(parts[2]), parts[3] && deflatePiece(parts[3])],
      hash: createHash('sha1').update(html).digest('base64url').slice(0, 8),
    };
  }
}
