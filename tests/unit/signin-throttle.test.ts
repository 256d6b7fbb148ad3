import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../src/db/migrate';
import { openDatabase, type Db } from '../../src/db/open-database';
import { createSigninFailuresRepository } from '../../src/newsroom/signin-failures-repository';
import {
  ACCOUNT_FAILURE_LIMIT,
  ADDRESS_FAILURE_LIMIT,
  FAILURE_WINDOW_MS,
  LOCK_MS,
  SigninThrottle,
  signinSubjects,
} from '../../src/newsroom/signin-throttle';

// The guessing brake on its own, counted in a real SQLite file: per account and per address.

let dir: string;
let db: Db;
let throttle: SigninThrottle;
const T0 = Date.parse('2026-01-15T12:00:00Z');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-throttle-'));
  db = openDatabase(path.join(dir, 'news.db'));
  migrate(db);
  throttle = new SigninThrottle(createSigninFailuresRepository(db));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an account is slowed from the third failure and locked at the fifth, whatever the address', () => {
  const delays = Array.from({ length: ACCOUNT_FAILURE_LIMIT }, (_, i) =>
    throttle.recordFailure(signinSubjects('Editor@News.example', `198.51.100.${i}`), T0 + i * 1000),
  );
  expect(delays.slice(0, 2)).toEqual([0, 0]);
  expect(delays[2]).toBeGreaterThan(0);
  expect(delays[3]).toBeGreaterThan(delays[2]!);
  const lockedUntil = throttle.lockedUntil(signinSubjects('editor@news.example', '203.0.113.9'), T0 + 5000);
  expect(lockedUntil).toBe(T0 + 4000 + LOCK_MS);
  expect(throttle.lockedUntil(signinSubjects('editor@news.example', '203.0.113.9'), lockedUntil! + 1)).toBeNull();
});

test('one address guessing at many accounts is locked at its own limit', () => {
  for (let i = 0; i < ADDRESS_FAILURE_LIMIT - 1; i += 1)
    throttle.recordFailure(signinSubjects(`user${i}@news.example`, '198.51.100.7'), T0 + i);
  expect(throttle.lockedUntil(signinSubjects('someone@news.example', '198.51.100.7'), T0 + 100)).toBeNull();
  throttle.recordFailure(signinSubjects('last@news.example', '198.51.100.7'), T0 + 100);
  expect(throttle.lockedUntil(signinSubjects('someone@news.example', '198.51.100.7'), T0 + 200)).not.toBeNull();
  // Other addresses are not affected.
  expect(throttle.lockedUntil(signinSubjects('someone@news.example', '198.51.100.8'), T0 + 200)).toBeNull();
});

test('failures spread wider than the window never lock, and a success forgets the account', () => {
  for (let i = 0; i < 10; i += 1) {
    throttle.recordFailure(signinSubjects('slow@news.example', `198.51.100.${i}`), T0 + i * (FAILURE_WINDOW_MS / 3));
  }
  expect(throttle.lockedUntil(signinSubjects('slow@news.example', '203.0.113.1'), T0 + 10 * (FAILURE_WINDOW_MS / 3))).toBeNull();
  for (let i = 0; i < ACCOUNT_FAILURE_LIMIT - 1; i += 1)
    throttle.recordFailure(signinSubjects('fine@news.example', '198.51.100.50'), T0 + i);
  throttle.recordSuccess(signinSubjects('fine@news.example', '198.51.100.50'));
  throttle.recordFailure(signinSubjects('fine@news.example', '198.51.100.51'), T0 + 10);
  expect(throttle.lockedUntil(signinSubjects('fine@news.example', '198.51.100.51'), T0 + 20)).toBeNull();
});
