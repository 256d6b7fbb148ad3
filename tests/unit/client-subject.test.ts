import { clientSubject } from '../../src/http/rate-limiter';

test('IPv6 clients count per /64, whatever the spelling', () => {
  const subject = clientSubject('2001:db8:85a3:12::1');
  expect(subject).toBe('2001:db8:85a3:12::/64');
  for (const same of ['2001:db8:85a3:12:ffff:ffff:ffff:ffff', '2001:0DB8:85a3:0012:0:0:0:2', '2001:db8:85a3:12::abcd%eth0']) {
    expect(clientSubject(same)).toBe(subject);
  }
  expect(clientSubject('2001:db8:85a3:13::1')).not.toBe(subject);
  expect(clientSubject('2001:db8::1')).toBe('2001:db8:0:0::/64');
  expect(clientSubject('::1')).toBe('0:0:0:0::/64');
});

test('IPv4, and IPv4 mapped into IPv6, count per address', () => {
  expect(clientSubject('203.0.113.7')).toBe('203.0.113.7');
  expect(clientSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
  expect(clientSubject('203.0.113.8')).not.toBe(clientSubject('203.0.113.7'));
});
