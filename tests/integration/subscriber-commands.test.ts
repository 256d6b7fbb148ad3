import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { csvField } from '../../src/subscriptions/subscriber-csv';
import { postSignup, validFields } from '../helpers/signup-form';
import { createTestSite, type TestSite } from '../helpers/test-site';

// The operators' commands, run as operators run them (the built CLI; npm test builds first).
let site: TestSite;
const cli = (script: string, ...args: string[]) =>
  execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist/src/cli', script), ...args], {
    env: { PATH: process.env.PATH, DATABASE_PATH: site.config.databasePath },
    encoding: 'utf8',
  });

beforeAll(async () => {
  site = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
  for (const email of ['one@example.com', 'two@example.com', 'three@example.com'])
    await postSignup(site, validFields({ email, name: email === 'two@example.com' ? '=HYPERLINK("x")' : 'Reader, "Quoted"' }));
  site.db
    .prepare("UPDATE subscriptions SET status = 'confirmed', confirmed_at = '2026-01-01T00:00:00.000Z' WHERE email != 'three@example.com'")
    .run();
});
afterAll(() => site.close());

test('subscribers:export writes CSV of the subscribers with a status, with their consent', () => {
  const csv = cli('subscribers-export.js', '--status', 'confirmed');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe('email,name,plan,status,created_at,confirmed_at,unsubscribed_at,consent_version,consent_given_at,consent_source');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toMatch(/^one@example\.com,"Reader, ""Quoted""",digital,confirmed,/);
  expect(lines[2]).toMatch(/^two@example\.com,"'=HYPERLINK\(""x""\)",/);
  expect(lines[1]).toMatch(/,\d{4}-\d{2}-\d{2},[^,]+,\/subscribe$/);
  const all = cli('subscribers-export.js');
  expect(all.trimEnd().split('\r\n')).toHaveLength(4);
  const file = path.join(site.dir, 'out.csv');
  cli('subscribers-export.js', '--status', 'pending', '--out', file);
  expect(fs.readFileSync(file, 'utf8')).toMatch(/three@example\.com/);
  // Readable by its owner alone, and never written over.
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  fs.writeFileSync(file, 'someone else’s file');
  expect(() => cli('subscribers-export.js', '--out', file)).toThrow(/exists already/);
  expect(fs.readFileSync(file, 'utf8')).toBe('someone else’s file');
  expect(() => cli('subscribers-export.js', '--status', 'everyone')).toThrow();
});

test('subscribers:erase removes one person’s subscription, consents and mail', () => {
  const count = (sql: string) => site.db.prepare(sql).pluck().get('one@example.com') as number;
  expect(count('SELECT count(*) FROM mail_outbox WHERE to_address = ?')).toBeGreaterThan(0);
  expect(cli('subscribers-erase.js', 'one@EXAMPLE.com')).toMatch(/^Erased one@example\.com/);
  expect(count('SELECT count(*) FROM subscriptions WHERE email = ?')).toBe(0);
  expect(count('SELECT count(*) FROM mail_outbox WHERE to_address = ?')).toBe(0);
  expect(
    site.db
      .prepare('SELECT count(*) FROM consents c LEFT JOIN subscriptions s ON s.id = c.subscription_id WHERE s.id IS NULL')
      .pluck()
      .get(),
  ).toBe(0);
  expect(count('SELECT count(*) FROM subscriptions WHERE email != ?')).toBe(2);
  expect(cli('subscribers-erase.js', 'nobody@example.com')).toMatch(/^Nothing is stored/);
});

test('CSV fields are quoted and defused', () => {
  expect(csvField('plain')).toBe('plain');
  expect(csvField('a,b')).toBe('"a,b"');
  expect(csvField('line\nbreak')).toBe('"line\nbreak"');
  expect(csvField('+1')).toBe("'+1");
  expect(csvField(null)).toBe('');
});

test('subscribers:erase finds an address in any letter case and says what it removed', () => {
  expect(cli('subscribers-erase.js', 'TWO@EXAMPLE.COM')).toMatch(/^Erased two@example\.com: 1 subscription, 1 consent records, 1 mails\./);
  expect(site.db.prepare('SELECT count(*) FROM subscriptions WHERE lower(email) = ?').pluck().get('two@example.com')).toBe(0);
});

test('subscribers:erase refuses what is not an address, and a database that does not exist', () => {
  expect(() => cli('subscribers-erase.js', 'not-an-email')).toThrow(/is not an email address/);
  const missing = path.join(site.dir, 'no-such.db');
  expect(() =>
    execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist/src/cli/subscribers-erase.js'), 'one@example.com'], {
      env: { PATH: process.env.PATH, DATABASE_PATH: missing },
      encoding: 'utf8',
      stdio: 'pipe',
    }),
  ).toThrow(/There is no database/);
  expect(fs.existsSync(missing)).toBe(false);
});
