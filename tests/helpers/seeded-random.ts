/**
 * Numbers in [0, 1) from a fixed seed (a linear congruential generator), for tests that try many
 * generated cases: the same cases on every run, so that a failure can be reproduced.
 */
export function seededRandom(seed: number): { random: () => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return { random, pick: (items) => items[Math.floor(random() * items.length)]! };
}
