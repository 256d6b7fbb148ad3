// npm run edge: Varnish (deploy/varnish/site.vcl) in front of a running site, for trials, tests
// and benchmarks. It fetches the site's "unavailable" page once (Varnish answers it when the
// origin is down), writes the VCL with this environment's settings, and runs varnishd in the
// foreground until SIGTERM or SIGINT, which it passes on.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadEdgeConfig, type EdgeConfig } from '../edge/edge-config';
import { renderEdgeVcl } from '../edge/varnish-config';
import { DEPLOY_DIR } from '../project-paths';
import { runCommand } from './run-command';

const FALLBACK_ERROR_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Service unavailable</title></head>
<body><main><h1>Service unavailable</h1><p>The site cannot be reached for a moment. Nothing you sent was received: please try again in a minute.</p></main></body></html>
`;

/** The site's own 503 page, in its layout; a plain one when the origin is not up yet. */
async function fetchErrorPage(config: EdgeConfig): Promise<string> {
  const url = `http://${config.originHost}:${config.originPort}/healthz/edge-error-page`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.status === 503 && body.includes('<html')) return body;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.warn(`Could not fetch ${url}: Varnish will answer a plain "unavailable" page when the origin is down.`);
  return FALLBACK_ERROR_PAGE;
}

/** A group's id from /etc/group, when there is one of that name. */
function groupId(name: string): number | undefined {
  try {
    const line = fs
      .readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith(`${name}:`));
    return line ? Number(line.split(':')[2]) : undefined;
  } catch {
    return undefined;
  }
}

runCommand(async () => {
  if (process.argv.includes('--help')) {
    console.log(
      'Usage: npm run edge\nReads EDGE_PORT, EDGE_HOST, EDGE_ORIGIN, EDGE_CACHE_MB, EDGE_GRACE_SECONDS, EDGE_PURGE_FROM, EDGE_WORK_DIR and CACHE_PURGE_SECRET (see README).',
    );
    return;
  }
  const config = loadEdgeConfig();
  let purgeSecret = config.purgeSecret;
  if (!purgeSecret) {
    purgeSecret = randomBytes(24).toString('base64url');
    console.warn('CACHE_PURGE_SECRET is not set: this cache accepts no purges, and pages stay until their lifetime ends.');
  }
  fs.mkdirSync(config.workDir, { recursive: true });
  // Varnish's unprivileged users compile and read what is in it.
  fs.chmodSync(config.workDir, 0o755);
  const errorPagePath = path.join(config.workDir, 'edge-error-page.html');
  fs.writeFileSync(errorPagePath, await fetchErrorPage(config), { mode: 0o644 });
  const vclPath = path.join(config.workDir, 'site.vcl');
  const template = fs.readFileSync(path.join(DEPLOY_DIR, 'varnish', 'site.vcl'), 'utf8');
  // The VCL holds the purge secret: readable by Varnish's own group (it reads the file after
  // dropping root), by nobody else.
  fs.writeFileSync(vclPath, renderEdgeVcl(template, { ...config, purgeSecret, errorPagePath }), { mode: 0o640 });
  const varnishGroup = groupId('varnish');
  if (varnishGroup !== undefined && process.getuid?.() === 0) {
    fs.chownSync(vclPath, 0, varnishGroup);
    fs.chmodSync(vclPath, 0o640);
  } else {
    fs.chmodSync(vclPath, 0o644);
  }

  const args = [
    '-F',
    '-n',
    path.join(config.workDir, 'varnish'),
    // Its process id, so that scripts can stop this varnishd (and only this one).
    '-P',
    path.join(config.workDir, 'varnishd.pid'),
    '-a',
    `${config.host}:${config.port}`,
    '-f',
    vclPath,
    '-s',
    `malloc,${config.cacheMb}M`,
    // The site compresses (br and gzip); Varnish must pass Accept-Encoding through, not rewrite it.
    '-p',
    'http_gzip_support=off',
  ];
  const varnishd = spawn(config.varnishd, args, { stdio: 'inherit' });
  const code = await new Promise<number>((resolve, reject) => {
    varnishd.on('error', (error) =>
      reject(
        new Error(
          `Could not start ${config.varnishd}: ${error.message}. Install Varnish 7 and varnish-modules (apt-get install -y varnish varnish-modules).`,
        ),
      ),
    );
    varnishd.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 0 : 1)));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => varnishd.kill(signal));
    console.log(`edge: Varnish on http://${config.host}:${config.port} in front of http://${config.originHost}:${config.originPort}`);
  });
  process.exitCode = code;
});
