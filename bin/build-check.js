'use strict';
// Is there a build (dist/), and was it made from the source beside it? Plain JavaScript, so that
// `news` can say so before it loads any compiled code. A checkout's commands never build (a
// build under a running site would change its code mid-flight); they refuse a stale build
// instead. An image has no src/, so only the first check applies there.
const fs = require('node:fs');
const path = require('node:path');

const SOURCE_FOLDERS = ['src', 'seed', 'bench'];

/** Source files (relative paths) newer than their compiled JavaScript, or not compiled at all. */
function staleSources(root) {
  const stale = [];
  const walk = (relative) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const file = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const compiled = path.join(root, 'dist', file.replace(/\.ts$/, '.js'));
        const compiledAt = fs.statSync(compiled, { throwIfNoEntry: false })?.mtimeMs ?? 0;
        if (fs.statSync(path.join(root, file)).mtimeMs > compiledAt) stale.push(file);
      }
    }
  };
  for (const folder of SOURCE_FOLDERS) if (fs.existsSync(path.join(root, folder))) walk(folder);
  return stale;
}

/** What is wrong with the build at `root`, in words for the person who ran the command, or null. */
function buildProblem(root) {
  if (!fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'commands.js'))) {
    return `There is no build in ${path.join(root, 'dist')}: run \`npm run build\` first (\`npm start\` builds too).`;
  }
  // No src/: an image or a deployed build, where dist/ is all there is.
  if (!fs.existsSync(path.join(root, 'src'))) return null;
  const stale = staleSources(root);
  if (stale.length === 0) return null;
  const more = stale.length > 1 ? ` and ${stale.length - 1} more` : '';
  return `The build in dist/ is older than the source (${stale[0]}${more} changed since): run \`npm run build\` first, so that the command runs the code you see.`;
}

module.exports = { staleSources, buildProblem };
