import { setHas, storySetOf, visitCommonIdsNewestFirst } from '../../src/search/word-sets-repository';

// The bit sets of stories that search threads keep for common words (word-sets-repository.ts).

const inAll = (sets: Parameters<typeof visitCommonIdsNewestFirst>[0], stopAfter = Infinity): number[] => {
  const ids: number[] = [];
  visitCommonIdsNewestFirst(sets, (id) => ids.push(id) >= stopAfter);
  return ids;
};

test('a set has exactly its stories, on either side of a 32-bit boundary and at the top bit', () => {
  const ids = [0, 1, 31, 32, 63, 64, 1000];
  const set = storySetOf(ids);
  for (let id = 0; id <= 1100; id += 1) expect(setHas(set, id)).toBe(ids.includes(id));
  expect(setHas(storySetOf([]), 0)).toBe(false);
});

test('the stories in every set come newest first, and the walk stops when asked', () => {
  const a = storySetOf([0, 5, 31, 32, 63, 64, 1000, 4095]);
  const b = storySetOf([5, 31, 63, 1000]);
  const c = storySetOf([5, 31, 63, 64, 1000, 2000]);
  expect(inAll([a])).toEqual([4095, 1000, 64, 63, 32, 31, 5, 0]);
  expect(inAll([a, b])).toEqual([1000, 63, 31, 5]);
  expect(inAll([a, b, c])).toEqual([1000, 63, 31, 5]);
  expect(inAll([a, c])).toEqual([1000, 64, 63, 31, 5]);
  expect(inAll([a, b], 2)).toEqual([1000, 63]);
  expect(inAll([a, storySetOf([])])).toEqual([]);
});
