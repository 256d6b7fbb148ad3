import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { runBuiltServerToExit, startBuiltServer } from '../helpers/child-server';
import { SEED_ARTICLE_PATH } from '../helpers/test-site';

// These run the same commands as the Dockerfile (`npm run build`, which `npm test` runs before
// jest, then `node dist/src/server.js` on an empty data folder), since no Docker engine runs here.
let dir: string;
const npm = (...args: string[]) =>
  execFileSync('npm', args, {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, DATABASE_PATH: path.join(dir, 'cli.db') },
    encoding: 'utf8',
    stdio: 'pipe',
  });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-start-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('first start creates, migrates and seeds the database, serves the site, and stops cleanly on SIGTERM', async () => {
  const server = await startBuiltServer({ DATABASE_PATH: path.join(dir, 'data', 'news.db') });
  try {
    const page = await fetch(`${server.url}${SEED_ARTICLE_PATH}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Is North Korea ready to talk? Moscow meeting may be first step');
    expect(fs.existsSync(path.join(dir, 'data', 'news.db'))).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'data', 'photos')).some((name) => name.endsWith('-320w.webp'))).toBe(true);
    const logLines = server
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(logLines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['applied migrations', 'seeded an empty database', 'listening']),
    );
  } finally {
    server.child.kill('SIGTERM');
  }
  expect(await server.exited).toBe(0);
}, 60_000);

test('a bad configuration value stops start-up with a message naming the variable', async () => {
  const result = await runBuiltServerToExit({ DATABASE_PATH: path.join(dir, 'news.db'), PORT: 'eighty' });
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/PORT: /);
  expect(fs.existsSync(path.join(dir, 'news.db'))).toBe(false);
});

test('npm run migrate, seed and import work from the command line', () => {
  expect(npm('run', 'migrate', '--silent')).toMatch(/Applied 0001-create-sections\.sql/);
  expect(npm('run', 'migrate', '--silent')).toMatch(/up to date/);
  expect(npm('run', 'seed', '--silent')).toMatch(/48 added/);
  expect(npm('run', 'seed', '--silent')).toMatch(/0 added, 0 updated, 48 unchanged/);
  const file = path.join(dir, 'articles.ndjson');
  fs.writeFileSync(
    file,
    [
      JSON.stringify({
        section: 'Science',
        slug: 'Cli-story',
        headline: 'From the command line',
        published_at: '2014-02-02T00:00:00Z',
        body: ['Text.'],
      }),
      JSON.stringify({ section: 'Science', slug: 'Bad story', headline: 'Bad', published_at: '2014-02-02T00:00:00Z', body: ['Text.'] }),
    ].join('\n'),
  );
  let failure: { status: number; stdout: string; stderr: string } | undefined;
  try {
    npm('run', 'import', '--silent', '--', file);
  } catch (error) {
    failure = error as typeof failure;
  }
  expect(failure?.status).toBe(2);
  expect(failure?.stderr).toMatch(/line 2: slug: /);
  expect(failure?.stdout).toMatch(/1 added, 0 updated, 0 unchanged, 1 rejected/);
}, 120_000);
