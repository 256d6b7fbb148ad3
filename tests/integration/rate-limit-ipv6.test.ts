import { postSignup, validFields } from '../helpers/signup-form';
import { createTestSite, type TestSite } from '../helpers/test-site';
import { SIGNUPS_PER_IP } from '../../src/subscriptions/subscribe-router';

let site: TestSite;
beforeAll(async () => {
  site = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
});
afterAll(() => site?.close());

test('sign-ups from one IPv6 /64 share one limit, however many addresses they use', async () => {
  const statuses: number[] = [];
  for (let i = 1; i <= SIGNUPS_PER_IP.limit + 1; i += 1) {
    const res = await postSignup(site, validFields({ email: `v6-${i}@example.com` }), { ip: `2001:db8:1:2::${i.toString(16)}` });
    statuses.push(res.status);
  }
  expect(statuses.slice(0, SIGNUPS_PER_IP.limit).every((status) => status === 303)).toBe(true);
  expect(statuses.at(-1)).toBe(429);
  // Another /64 is another client.
  expect((await postSignup(site, validFields({ email: 'v6-other@example.com' }), { ip: '2001:db8:1:3::1' })).status).toBe(303);
});
