import { execFileSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../src/project-paths';

// Many tests run the built site and commands as child processes (dist/), as production does.
// `npx jest PATH` after a source edit would run yesterday's code there without a word: build
// first whenever dist/ is older than the source (npm test has just built, so this is then a
// file walk of a few milliseconds).
const { staleSources } = require('../bin/build-check.js') as { staleSources: (root: string) => string[] };

export default function buildWhenStale(): void {
  const stale = staleSources(PACKAGE_ROOT);
  if (stale.length === 0) return;
  console.log(
    `\nBuilding dist/ first: ${stale[0]}${stale.length > 1 ? ` and ${stale.length - 1} more` : ''} changed since the last build.`,
  );
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: PACKAGE_ROOT,
    stdio: 'inherit',
  });
}
