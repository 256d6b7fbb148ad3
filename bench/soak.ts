// npm run soak: 60 seconds at 100 connections mixing every kind of page with sign-ups, against the
// site as `npm start` runs it (fresh seeded database). Passes when no request fails and the
// server's memory at the 60th second is no more than 10% above the 20th.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PACKAGE_ROOT } from '../src/project-paths';
import { createRandom } from './generate-corpus';
import { SITE_NODE_FLAGS } from './bench-processes';
import { currentRssMb } from './measure-load';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = 100;
const SEED = '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';
const PAGES = [
  SEED,
  '/',
  '/World',
  '/World/Asia-Pacific',
  '/USA/Politics',
  '/topics/north-korea',
  '/search?q=korea',
  '/search?q=talks&sort=newest',
  '/search?q=korae',
  '/feeds/all.rss',
  '/feeds/World.json',
  '/sitemap.xml',
  '/subscribe',
  '/no-such-page',
  '/World/Europe/2013/0704/Russia-hosts-Korean-envoy-as-talks-resume-hopes-grow',
];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-soak-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...SITE_NODE_FLAGS, 'dist/src/server.js'], {
    cwd: PACKAGE_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_PATH: path.join(dir, 'news.db'),
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'loopback',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    for (let i = 0; i < 600; i += 1) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        // starting
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const article = await (await fetch(`${url}${SEED}`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(article)![1]!;
    const random = createRandom(99);
    let signups = 0;
    const samples: Record<number, number> = {};
    const timers = [20, SECONDS].map((second) => setTimeout(() => (samples[second] = currentRssMb(child.pid!)), second * 1000 - 200));
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          setupRequest: (request) => {
            if (random() < 0.1) {
              signups += 1;
              const n = signups;
              return {
                ...request,
                method: 'POST',
                path: '/subscribe',
                headers: {
                  'content-type': 'application/x-www-form-urlencoded',
                  origin: url,
                  'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
                },
                body: new URLSearchParams({
                  _csrf: csrf,
                  email: `soak${n}@example.com`,
                  plan: 'digital',
                  consent: 'yes',
                  website: '',
                  source: SEED,
                }).toString(),
              };
            }
            return { ...request, method: 'GET', path: PAGES[Math.floor(random() * PAGES.length)]!, headers: {}, body: undefined };
          },
        },
      ],
    });
    timers.forEach(clearTimeout);
    const at20 = samples[20] ?? NaN;
    const atEnd = samples[SECONDS] ?? currentRssMb(child.pid!);
    const growth = atEnd / at20 - 1;
    const summary = {
      seconds: SECONDS,
      connections: CONNECTIONS,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors,
      timeouts: result.timeouts,
      status5xx: result['5xx'],
      signupsSent: signups,
      rssMbAt20s: at20,
      rssMbAtEnd: atEnd,
      rssGrowth: `${(growth * 100).toFixed(1)}%`,
    };
    console.log(JSON.stringify(summary, null, 2));
    const ok = result.errors === 0 && result.timeouts === 0 && result['5xx'] === 0 && growth <= 0.1;
    console.log(ok ? 'soak passed' : 'soak FAILED');
    process.exitCode = ok ? 0 : 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
