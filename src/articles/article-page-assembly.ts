import type { ArticleRender, ArticleRenderRepository, CompressedRenderParts } from './article-renders-repository';
import { foundArticle, type ArticleLookup } from './article-page-model';
import { ArticleLayout } from './article-layout';
import { computeRenderKey, renderArticle } from './article-render';
import type { PageContext } from '../site/page-context';
import type { SectionDirectory } from '../site/section-directory';
import type { TemplateRenderer } from '../site/template-renderer';
import type { PromoView } from '../site/site-chrome';

/** A page as the pieces that make it up, in order, and as a gzip body when asked for (see ArticleLayout.page). */
export type ArticlePageResult = { chunks: Buffer[]; gzipChunks?: Buffer[]; etag: string; surrogateKeys: string[] };

/**
 * Article pages from stored renders: the story's parts are read from SQLite when a good render is
 * there, rendered and stored when not, and joined with the section's layout. In development
 * templates change under a running server, so nothing is stored or read there.
 */
export class ArticlePages {
  private readonly layout: ArticleLayout;
  private readonly renderKey: string;

  constructor(
    private readonly context: PageContext,
    private readonly renders: ArticleRenderRepository,
    private readonly renderTemplate: TemplateRenderer,
    private readonly options: { storeRenders: boolean },
  ) {
    this.layout = new ArticleLayout(context, renderTemplate);
    this.renderKey = computeRenderKey(context);
  }

  /** The page, from the story's stored render, or rendered (and stored) when there is none. */
  page(directory: SectionDirectory, found: Extract<ArticleLookup, { kind: 'found' }>, now: string, version: number): ArticlePageResult {
    const stored = this.storedPage(directory, found, now, version);
    if (stored) return stored;
    const rendered = renderArticle(this.context, this.renderTemplate, directory, found, now);
    if (this.options.storeRenders) this.renders.store({ ...rendered, render_key: this.renderKey }, version);
    return this.join(directory, found, now, version, rendered);
  }

  /** A story as it will look, whatever its state (preview links): rendered each time, never stored, not for indexing. */
  preview(
    directory: SectionDirectory,
    found: Extract<ArticleLookup, { kind: 'found' }>,
    now: string,
    version: number,
    { promo }: { promo?: PromoView } = {},
  ): ArticlePageResult {
    const rendered = renderArticle(this.context, this.renderTemplate, directory, found, now, { noindex: true });
    return this.join(directory, found, now, version, rendered, undefined, promo);
  }

  /**
   * The page if the story has a current stored render; nothing is rendered. With `gzip`, the page
   * as a gzip body too, joined from compressed pieces.
   */
  storedPage(
    directory: SectionDirectory,
    found: Extract<ArticleLookup, { kind: 'found' }>,
    now: string,
    version: number,
    { gzip = false } = {},
  ): ArticlePageResult | undefined {
    if (!this.options.storeRenders) return undefined;
    const id = found.article.id;
    if (!gzip) {
      const story = this.renders.findCurrent(id, this.renderKey, now);
      return story && this.join(directory, found, now, version, story);
    }
    const story = this.renders.findCurrentWithCompressed(id, this.renderKey, now);
    return story && this.join(directory, found, now, version, story, story);
  }

  private join(
    directory: SectionDirectory,
    found: Extract<ArticleLookup, { kind: 'found' }>,
    now: string,
    version: number,
    story: ArticleRender,
    compressed?: CompressedRenderParts,
    promoPreview?: PromoView,
  ): ArticlePageResult {
    const { chunks, gzipChunks, etag } = this.layout.page(
      directory,
      { section: found.section, path: found.canonicalPath, now, version, promoPreview },
      {
        head: story.head_html,
        main: story.main_html,
        hash: story.hash,
        compressed: compressed && { head: compressed.head_deflate, main: compressed.main_deflate },
      },
    );
    return { chunks, gzipChunks, etag, surrogateKeys: story.surrogate_keys.split(' ') };
  }

  /** Renders and stores every visible story without a good render; returns how many it rendered. */
  renderMissing(now: string, onProgress?: (done: number) => void, limit = Infinity): number {
    const { content } = this.context;
    let done = 0;
    let after = 0;
    for (;;) {
      if (done >= limit) return done;
      const ids = this.renders.listMissing(this.renderKey, now, after, 500);
      if (ids.length === 0) return done;
      for (const id of ids) {
        after = id;
        // The version first: everything the render reads is then at least as new as it.
        const { version } = content.contentVersion();
        const found = content.articles.findVisibleById(id, now);
        if (!found) continue;
        const sections = content.sectionDirectory(version);
        const rendered = renderArticle(this.context, this.renderTemplate, sections, foundArticle(sections, found), now);
        if (!this.renders.store({ ...rendered, render_key: this.renderKey }, version)) continue;
        done += 1;
        onProgress?.(done);
        if (done >= limit) return done;
      }
    }
  }
}
