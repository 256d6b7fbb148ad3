import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SITE_NODE_FLAGS } from '../../bench/bench-processes';
import { PACKAGE_ROOT } from '../../src/project-paths';

// `npm start`, the image's CMD and the benchmarks start the site with the same Node flags, so that
// what the benchmarks measure is what runs; and Node accepts them (a misspelt V8 flag stops Node
// before the site starts).

const read = (file: string) => fs.readFileSync(path.join(PACKAGE_ROOT, file), 'utf8');

test('npm start and the image run the site with the flags the benchmarks use', () => {
  const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
  expect(start).toBe(`exec node ${SITE_NODE_FLAGS.join(' ')} dist/src/server.js`);
  const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))![1]!;
  expect(JSON.parse(cmd)).toEqual(['node', ...SITE_NODE_FLAGS, 'dist/src/server.js']);
});

test('Node accepts the flags', () => {
  const run = spawnSync(process.execPath, [...SITE_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const misspelt = spawnSync(process.execPath, ['--heap-growing-precent=100', '-e', 'process.exit(0)'], { encoding: 'utf8' });
  expect(misspelt.status).not.toBe(0);
});
