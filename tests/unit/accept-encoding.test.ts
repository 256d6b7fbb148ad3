import { acceptsCoding, chooseCoding } from '../../src/delivery/accept-encoding';

test.each([
  [undefined, 'gzip', false],
  ['', 'gzip', false],
  ['gzip', 'gzip', true],
  ['GZIP', 'gzip', true],
  ['deflate, gzip;q=0.5', 'gzip', true],
  ['gzip;q=0', 'gzip', false],
  ['gzip; q=0.0, br', 'gzip', false],
  ['*', 'br', true],
  ['*;q=0', 'br', false],
  ['gzip;q=0, *', 'gzip', false],
  ['identity', 'gzip', false],
  ['xgzip', 'gzip', false],
  ['gzip;q=junk', 'gzip', false],
] as const)('Accept-Encoding %p accepts %s: %p', (header, coding, expected) => {
  expect(acceptsCoding(header, coding)).toBe(expected);
});

test('the first coding offered that the client accepts is chosen, else the identity', () => {
  expect(chooseCoding('gzip, deflate, br', ['br', 'gzip'])).toBe('br');
  expect(chooseCoding('gzip, deflate, br', ['gzip', 'br'])).toBe('gzip');
  expect(chooseCoding('br;q=0, gzip', ['br', 'gzip'])).toBe('gzip');
  expect(chooseCoding('identity', ['br', 'gzip'])).toBeNull();
});
