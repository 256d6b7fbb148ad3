#!/usr/bin/env node
'use strict';
// `news COMMAND [ARGUMENTS]`: every command of the site, from the build, with no compiler and no
// dev dependency, so that the same commands work in a checkout (`npm run COMMAND`, which runs
// this file) and in the production image (`docker exec CONTAINER news COMMAND`).
const path = require('node:path');
const { buildProblem } = require('./build-check.js');

const root = path.join(__dirname, '..');
const problem = buildProblem(root);
if (problem) {
  console.error(problem);
  process.exit(1);
}
require(path.join(root, 'dist', 'src', 'cli', 'commands.js')).runNewsCommand(process.argv.slice(2));
