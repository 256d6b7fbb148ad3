import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { buildArticleRecord } from '../helpers/article-factory';

// `npm run import` as an editor runs it (the built command): its help, a dry run, progress when
// its output goes to a file, and Ctrl-C half-way. (npm test builds dist/ first.)

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-import-'));
  env = { PATH: process.env.PATH ?? '', DATABASE_PATH: path.join(dir, 'news.db'), PHOTOS_DIR: path.join(dir, 'photos') };
  // A seeded database, as after a first start.
  expect(spawnSync(process.execPath, ['dist/src/cli/seed.js'], { cwd: PACKAGE_ROOT, env }).status).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const runImport = (args: string[]) =>
  spawnSync(process.execPath, ['dist/src/cli/import.js', ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8' });
const articles = () => {
  const db = new Database(env.DATABASE_PATH!, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
  } finally {
    db.close();
  }
};
const writeRecords = (name: string, count: number, prefix: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    Array.from({ length: count }, (_, i) => JSON.stringify(buildArticleRecord({ slug: `${prefix}-${i}` }))).join('\n'),
  );
  return file;
};

test('--help explains the command instead of being read as a file', () => {
  const result = runImport(['--help']);
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Usage: npm run import -- FILE.json|FILE.ndjson [--dry-run]');
  expect(runImport(['--frobnicate', 'x.ndjson']).stderr).toContain('Unknown option --frobnicate');
});

test('--dry-run checks every record, says what would happen, and writes nothing', () => {
  const file = writeRecords('dry.ndjson', 3, 'Dry');
  fs.appendFileSync(file, `\n${JSON.stringify(buildArticleRecord({ section: 'Nowhere' }))}\n`);
  const before = articles();
  const result = runImport([file, '--dry-run']);
  expect(result.stdout).toContain('Dry run, nothing written: 3 would be added, 0 would be updated (or are unchanged), 1 rejected.');
  expect(result.stderr).toContain('line 4: section: unknown section "Nowhere"; known sections:');
  expect(result.status).toBe(2);
  expect(articles()).toBe(before);
});

test('into a file, progress comes as whole lines', () => {
  const file = writeRecords('many.ndjson', 2500, 'Many');
  const result = runImport([file]);
  expect(result.status).toBe(0);
  const progress = result.stderr.split('\n').filter((line) => line.startsWith('read '));
  expect(progress.length).toBeGreaterThanOrEqual(2);
  expect(result.stderr).not.toContain('\r');
  expect(result.stdout).toContain('2500 added, 0 updated, 0 unchanged, 0 rejected.');
});

test('Ctrl-C stops the import with a summary; what was read is kept, and a re-run completes it', async () => {
  const file = writeRecords('interrupted.ndjson', 20_000, 'Interrupted');
  const before = articles();
  const child = spawn(process.execPath, ['dist/src/cli/import.js', file], { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.includes('read ') && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(130);
  const match = /Interrupted after (\d+) records: (\d+) added/.exec(stdout);
  expect(match).not.toBeNull();
  const added = Number(match![2]);
  expect(added).toBeGreaterThan(0);
  expect(added).toBeLessThan(20_000);
  expect(articles()).toBe(before + added);

  const rerun = runImport([file]);
  expect(rerun.stdout).toContain(`${20_000 - added} added, 0 updated, ${added} unchanged, 0 rejected.`);
  expect(articles()).toBe(before + 20_000);
}, 120_000);

test('a fresh database gets its sections from npm run sections, and then takes an import', () => {
  const freshEnv = { ...env, DATABASE_PATH: path.join(dir, 'fresh', 'news.db'), PHOTOS_DIR: path.join(dir, 'fresh', 'photos') };
  const run = (script: string, args: string[]) =>
    spawnSync(process.execPath, [`dist/src/cli/${script}.js`, ...args], { cwd: PACKAGE_ROOT, env: freshEnv, encoding: 'utf8' });
  const file = path.join(dir, 'tennis.ndjson');
  fs.writeFileSync(file, JSON.stringify(buildArticleRecord({ section: 'Sports/Tennis', slug: 'Final-set' })));

  const before = run('import', [file]);
  expect(before.status).toBe(2);
  expect(before.stderr).toContain('has no sections yet; run npm run seed');
  expect(before.stderr).toContain('npm run sections -- add');

  expect(run('sections', ['list']).stdout).toContain('No sections yet');
  const orphan = run('sections', ['add', 'Sports/Tennis', 'Tennis']);
  expect(orphan.status).toBe(1);
  expect(orphan.stderr).toContain('needs its parent Sports first');
  expect(run('sections', ['add', 'Sports news', 'Sports']).stderr).toContain('PATH must be like "World"');
  expect(run('sections', ['add', 'Sports', 'Sports']).stdout).toContain('Added section Sports ("Sports").');
  expect(run('sections', ['add', 'Sports/Tennis', 'Tennis', '--description', 'Grand slams and the tour']).status).toBe(0);
  expect(run('sections', ['list']).stdout).toContain('Sports/Tennis\tTennis');

  const after = run('import', [file]);
  expect(after.stdout).toContain('1 added, 0 updated, 0 unchanged, 0 rejected.');
  expect(after.status).toBe(0);
});
