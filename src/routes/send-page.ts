import type { Response } from 'express';

// How long shared caches and browsers may keep each kind of page. Fronts change with every new
// story; an article changes rarely once published. Nothing in these pages depends on the reader.
const CACHE_CONTROL = {
  front: 'public, max-age=60, stale-while-revalidate=300, stale-if-error=86400',
  article: 'public, max-age=300, stale-while-revalidate=3600, stale-if-error=86400',
} as const;

export type PageKind = keyof typeof CACHE_CONTROL;

/** Renders a page view model with its template. The view model is the only data it sees. */
export function sendPage(res: Response, template: string, view: object, kind: PageKind): void {
  res.set('Cache-Control', CACHE_CONTROL[kind]);
  res.render(template, { view });
}
