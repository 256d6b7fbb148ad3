import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { freePort } from '../helpers/child-server';
import { buildArticleRecord } from '../helpers/article-factory';

// The commands as the production image runs them (no Docker engine here): a folder laid out by
// the Dockerfile's final stage, read from the Dockerfile itself, with only the production
// dependencies in node_modules, no src/, no TypeScript, and `news` on PATH through the same
// symlink the image makes. A command that needed a dev dependency or a file the image lacks
// fails here as it would in the image.

let image: string;
let data: string;
let env: Record<string, string>;

/** The final stage's COPY and `ln -s` lines, applied to a folder standing for /app. */
function assembleImage(app: string, binDir: string): void {
  const dockerfile = fs.readFileSync(path.join(PACKAGE_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  for (const line of finalStage.split('\n')) {
    const copy = /^COPY (--from=build )?(.+)$/.exec(line.trim());
    if (copy) {
      const parts = copy[2]!.split(/\s+/);
      const destination = parts.pop()!;
      for (const source of parts) {
        const relative = copy[1] ? path.relative('/app', source) : source;
        const target = path.join(
          app,
          destination.endsWith('/') || parts.length > 1 ? path.join(destination, path.basename(relative)) : destination,
        );
        if (relative === 'node_modules') linkProductionDependencies(target);
        else fs.cpSync(path.join(PACKAGE_ROOT, relative), target, { recursive: true, preserveTimestamps: true });
      }
    }
    for (const link of line.matchAll(/ln -s (\S+) \/usr\/local\/bin\/(\S+)/g)) {
      fs.symlinkSync(path.join(app, path.relative('/app', link[1]!)), path.join(binDir, link[2]!));
    }
  }
}

/** node_modules as `npm prune --omit=dev` leaves it: each top-level package the lock file does not mark dev. */
function linkProductionDependencies(target: string): void {
  const lock = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = key.replace(/^node_modules\//, '');
    if (!key.startsWith('node_modules/') || name.includes('/node_modules/') || entry.dev) continue;
    const installed = path.join(PACKAGE_ROOT, 'node_modules', name);
    if (!fs.existsSync(installed)) continue; // an optional package for another platform
    fs.mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
    fs.symlinkSync(installed, path.join(target, name));
  }
}

const news = (args: string[], cwd = image) => spawnSync('news', args, { cwd, env, encoding: 'utf8', timeout: 120_000 });

beforeAll(() => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-image-'));
  image = path.join(root, 'app');
  data = path.join(root, 'data');
  const binDir = path.join(root, 'usr-local-bin');
  for (const dir of [image, data, binDir]) fs.mkdirSync(dir);
  assembleImage(image, binDir);
  // The image's environment (Dockerfile ENV), with this test's own folder for /data.
  env = {
    PATH: `${binDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    NODE_ENV: 'production',
    DATABASE_PATH: path.join(data, 'news.db'),
  };
});
afterAll(() => fs.rmSync(path.dirname(image), { recursive: true, force: true }));

test('the image holds no source and no dev dependency', () => {
  expect(fs.existsSync(path.join(image, 'src'))).toBe(false);
  expect(fs.existsSync(path.join(image, 'node_modules', 'typescript'))).toBe(false);
  expect(fs.existsSync(path.join(image, 'node_modules', 'better-sqlite3'))).toBe(true);
});

test('`news` lists the commands, and refuses an unknown one', () => {
  const help = news(['--help']);
  expect(help.status).toBe(0);
  for (const command of ['start', 'migrate', 'seed', 'import', 'prerender', 'search:optimize', 'backup', 'restore', 'subscribers:export']) {
    expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  }
  const unknown = news(['imprt', 'stories.ndjson']);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain('there is no command "imprt"');
});

test('migrate, seed, sections, import, prerender, backup and export run from the build', () => {
  const migrated = news(['migrate']);
  expect(migrated.stderr).toBe('');
  expect(migrated.stdout).toMatch(/Applied 0001-create-sections\.sql/);
  expect(news(['seed']).stdout).toMatch(/48 added/);
  expect(news(['sections', 'list']).stdout).toMatch(/^World\b/m);

  // docker exec runs in /app; an operator's shell may be anywhere.
  const file = path.join(data, 'stories.ndjson');
  fs.writeFileSync(file, JSON.stringify(buildArticleRecord({ slug: 'From-the-image', headline: 'Imported in the image' })));
  const imported = news(['import', file], data);
  expect(imported.stderr).toBe('');
  expect(imported.stdout).toMatch(/1 added, 0 updated, 0 unchanged, 0 rejected/);

  expect(news(['prerender']).status).toBe(0);
  const copy = path.join(data, 'copy.db');
  expect(news(['backup', copy]).status).toBe(0);
  expect(fs.statSync(copy).size).toBeGreaterThan(100_000);
  const exported = news(['subscribers:export']);
  expect(exported.status).toBe(0);
  expect(exported.stdout.split('\n')[0]).toMatch(/^email,/);
}, 180_000);

test('`news start` serves the site and stops on SIGTERM', async () => {
  const port = await freePort();
  const site = spawn('news', ['start'], {
    cwd: image,
    env: { ...env, PORT: String(port), WEB_CONCURRENCY: '2', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => site.on('exit', (code) => resolve(code)));
  try {
    let status = 0;
    for (const deadline = Date.now() + 60_000; status !== 200 && Date.now() < deadline;) {
      status = await fetch(`http://127.0.0.1:${port}/`).then(
        (res) => res.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
  } finally {
    site.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
}, 90_000);

test('in a checkout, a command refuses a build older than the source instead of running it', () => {
  const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-stale-'));
  try {
    fs.cpSync(path.join(PACKAGE_ROOT, 'bin'), path.join(checkout, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(checkout, 'dist', 'src', 'cli'), { recursive: true });
    fs.writeFileSync(path.join(checkout, 'dist', 'src', 'cli', 'commands.js'), 'throw new Error("ran the stale build")');
    fs.mkdirSync(path.join(checkout, 'src', 'cli'), { recursive: true });
    const source = path.join(checkout, 'src', 'cli', 'commands.ts');
    fs.writeFileSync(source, '// edited');
    fs.utimesSync(source, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    const result = spawnSync(process.execPath, [path.join(checkout, 'bin', 'news.js'), 'migrate'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'The build in dist/ is older than the source (src/cli/commands.ts changed since): run `npm run build` first',
    );
    fs.rmSync(path.join(checkout, 'dist'), { recursive: true });
    expect(spawnSync(process.execPath, [path.join(checkout, 'bin', 'news.js')], { encoding: 'utf8' }).stderr).toContain(
      'run `npm run build` first',
    );
  } finally {
    fs.rmSync(checkout, { recursive: true, force: true });
  }
});

test('npm run COMMAND in the checkout runs the same entry point, with no build step', () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  for (const command of [
    'migrate',
    'seed',
    'import',
    'prerender',
    'backup',
    'restore',
    'subscribers:export',
    'subscribers:erase',
    'sections',
    'outbox',
  ]) {
    expect(scripts[command]).toBe(`node bin/news.js ${command}`);
  }
  expect(execFileSync(process.execPath, ['bin/news.js', '--help'], { cwd: PACKAGE_ROOT, encoding: 'utf8' })).toContain(
    'Usage: news COMMAND',
  );
});
