import { choosePromo } from '../../src/promos/promo-choice';

// Which promo a page shows: only those allowed on its section (or its ancestors'), the same one
// for every request of that page in a minute, and over many minutes each in proportion to weight.

const everywhere = { id: 1, weight: 3, sectionIds: [] };
const usaOnly = { id: 2, weight: 1, sectionIds: [7] };
const USA = 7;
const POLITICS = 8;

test('a promo targeted at a section runs on its subsections and nowhere else', () => {
  for (let minute = 0; minute < 200; minute++) {
    expect(choosePromo([usaOnly], [USA, POLITICS], minute)).toBe(usaOnly);
    expect(choosePromo([usaOnly], [1, 2], minute)).toBeUndefined();
    expect(choosePromo([usaOnly], [], minute)).toBeUndefined();
    expect(choosePromo([everywhere, usaOnly], [], minute)).toBe(everywhere);
  }
});

test('the same page in the same minute always gets the same promo, and weights share the minutes', () => {
  const counts = new Map<number, number>();
  for (let minute = 0; minute < 4000; minute++) {
    const chosen = choosePromo([everywhere, usaOnly], [USA, POLITICS], minute)!;
    expect(choosePromo([everywhere, usaOnly], [USA, POLITICS], minute)).toBe(chosen);
    counts.set(chosen.id, (counts.get(chosen.id) ?? 0) + 1);
  }
  // Weights 3 and 1: three quarters and one quarter of the minutes, give or take.
  expect(counts.get(1)! / 4000).toBeGreaterThan(0.7);
  expect(counts.get(1)! / 4000).toBeLessThan(0.8);
});
