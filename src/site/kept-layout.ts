import { tokenPeriod } from '../http/form-tokens';

// What kept layouts share (the article layout, articles/article-layout.ts; the search results
// layout, search/search-layout.ts): a page's chrome is rendered once with markers where each page's
// own parts go, split there, and kept as bytes until what it shows can change.

/** A marker where a page's own part goes: it goes through the templates' escaping unchanged (no & < > " '), and no text holds a NUL. */
export const layoutMarker = (name: string): string => `\u0000${name}\u0000`;

/**
 * When a kept layout must be rendered again: the content version (navigation, promos, the offer),
 * the offer panel's token period, and the minute (a promo's start or end, its rotation).
 */
export const layoutGeneration = (version: number, now: string): string => `${version}:${tokenPeriod(Date.parse(now))}:${now.slice(0, 16)}`;

/** Layouts by key (a section, or just one), for one generation at a time. */
export class KeptLayouts<K, V> {
  private generation = '';
  private readonly byKey = new Map<K, V>();

  /** The layout for `key` in this generation, rendered by `render` the first time it is asked for. */
  get(generation: string, key: K, render: () => V): V {
    if (generation !== this.generation) {
      this.byKey.clear();
      this.generation = generation;
    }
    let layout = this.byKey.get(key);
    if (layout === undefined) {
      layout = render();
      this.byKey.set(key, layout);
    }
    return layout;
  }
}

/** The text before and after `marker`, which a layout must hold exactly once. */
export function splitOnce(text: string, marker: string): [string, string] {
  const at = text.indexOf(marker);
  if (at === -1 || text.includes(marker, at + 1)) throw new Error(`The layout must hold ${JSON.stringify(marker)} once`);
  return [text.slice(0, at), text.slice(at + marker.length)];
}
