// Which running promo a page shows. A promo with sections runs only on pages of those sections
// and their subsections; one without sections runs everywhere. Among those that may run, each is
// shown in proportion to its weight, and the draw is a hash of the page's section and the
// minute, not a random number: every request for the same page in the same minute gets the same
// promo (so a shared cache, a stored layout and a reader's reload all agree), and the rotation
// moves on each minute.

export type PromoCandidate = { id: number; weight: number; sectionIds: readonly number[] };

/** FNV-1a, 32 bits: small, fast and evenly spread for short keys. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The promo for a page: `trail` is the ids of the page's section and its ancestors (empty for
 * pages outside any section), `minute` the whole minutes since the epoch.
 */
export function choosePromo<T extends PromoCandidate>(running: readonly T[], trail: readonly number[], minute: number): T | undefined {
  const eligible = running.filter((promo) => promo.sectionIds.length === 0 || promo.sectionIds.some((id) => trail.includes(id)));
  if (eligible.length <= 1) return eligible[0];
  const total = eligible.reduce((sum, promo) => sum + Math.max(promo.weight, 0), 0);
  // Weights of zero everywhere: the first (newest start) runs, as before weights were drawn by.
  if (total === 0) return eligible[0];
  let draw = hash32(`${trail[trail.length - 1] ?? 'site'}:${minute}`) % total;
  for (const promo of eligible) {
    draw -= Math.max(promo.weight, 0);
    if (draw < 0) return promo;
  }
  return eligible[eligible.length - 1];
}
