import { FormTokens, TOKEN_PERIOD_MS } from '../../src/http/form-tokens';

// The offer panel's token is shared by every reader in a period, signed once a period.
const tokens = new FormTokens(Buffer.from('a secret of at least thirty-two bytes, for tests'));
const start = 100 * TOKEN_PERIOD_MS;

test('the panel token is the same all through a period and new in the next, whatever order periods are asked in', () => {
  const first = tokens.panelToken(start);
  expect(tokens.panelToken(start + TOKEN_PERIOD_MS - 1)).toBe(first);
  const next = tokens.panelToken(start + TOKEN_PERIOD_MS);
  expect(next).not.toBe(first);
  // Asked for the earlier period again (a clock read before another), it is that period's token.
  expect(tokens.panelToken(start + 5)).toBe(first);
  expect(new FormTokens(Buffer.from('a secret of at least thirty-two bytes, for tests')).panelToken(start + 5)).toBe(first);
});

test('a panel token is accepted in its period and the next, and expired after that', () => {
  const token = tokens.panelToken(start);
  expect(tokens.check(token, undefined, start)).toEqual({ ok: true, kind: 'panel' });
  expect(tokens.check(token, undefined, start + TOKEN_PERIOD_MS)).toEqual({ ok: true, kind: 'panel' });
  expect(tokens.check(token, undefined, start + 2 * TOKEN_PERIOD_MS)).toEqual({ ok: false, reason: 'expired' });
  const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  expect(tokens.check(altered, undefined, start)).toEqual({ ok: false, reason: 'invalid' });
});
