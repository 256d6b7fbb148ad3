import { BoundedMemo, stringBytes } from '../../src/db/bounded-memo';

test('stays within its bytes whatever the keys, and keeps what fits', () => {
  const memo = new BoundedMemo<string>(64 * 1024, (key, value) => stringBytes(key) + stringBytes(value));
  for (let i = 0; i < 10_000; i += 1) {
    memo.set(`${'w'.repeat(200)}${i}`, 'stem');
    expect(memo.size.bytes).toBeLessThanOrEqual(64 * 1024);
  }
  memo.set('korea', 'korea');
  expect(memo.get('korea')).toBe('korea');
  memo.set('korea', 'kore');
  expect(memo.get('korea')).toBe('kore');
});
