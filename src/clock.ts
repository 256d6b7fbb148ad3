// The site's one clock. Everything that depends on the time reads it, through AppDeps: what is
// published, the panel token's period and a form token's age, page cache lifetimes, the article
// layout's generation, Last-Modified, and the times a sign-up, confirmation or unsubscribe are
// recorded at. Tests pass their own (tests/helpers/test-site.ts), so a story scheduled for later,
// a token and a cache entry all age together.

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
