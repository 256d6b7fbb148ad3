// npm run dev: the development loop. TypeScript recompiles src/ into dist/ on every save
// (tsc --watch), and the server restarts when dist/ changes (node --watch). Templates in views/
// are re-read on every request in development, so they need no restart. One process
// (WEB_CONCURRENCY=1) and NODE_ENV=development unless set. Ctrl-C or SIGTERM stops both.
import { spawn, type ChildProcess } from 'node:child_process';
import { PACKAGE_ROOT } from '../project-paths';

const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development', WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? '1' };
const children: ChildProcess[] = [];
const start = (args: string[]) => {
  const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env, stdio: 'inherit' });
  children.push(child);
  return child;
};

const tsc = start([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput']);
const server = start(['--watch-path=dist/src', '--watch-path=migrations', 'dist/src/server.js']);

let asked = false;
const stop = (signal: NodeJS.Signals) => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    asked = true;
    stop(signal);
  });
}
// One of them ending on its own (a crash of tsc, say) ends the loop, with exit code 1.
for (const child of [tsc, server]) {
  child.on('exit', () => {
    stop('SIGTERM');
    if (children.every((other) => other.exitCode !== null || other.signalCode !== null)) process.exit(asked ? 0 : 1);
  });
}
