import fs from 'node:fs';
import path from 'node:path';
import { keyHeaders } from '../../src/edge/cache-purger';
import { loadEdgeConfig } from '../../src/edge/edge-config';
import { renderEdgeVcl } from '../../src/edge/varnish-config';
import { loadConfig } from '../../src/config';
import { DEPLOY_DIR } from '../../src/project-paths';

const template = fs.readFileSync(path.join(DEPLOY_DIR, 'varnish', 'site.vcl'), 'utf8');
const settings = {
  originHost: '10.0.0.7',
  originPort: 3100,
  purgers: ['10.0.0.7', '10.0.1.0/24'],
  purgeSecret: 'correct horse battery staple',
  graceSeconds: 900,
  errorPagePath: '/var/lib/news-edge/edge-error-page.html',
};

describe('npm run edge settings', () => {
  test('defaults: port 8080 in front of 127.0.0.1:3000, purges only from the origin', () => {
    const config = loadEdgeConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', originHost: '127.0.0.1', originPort: 3000, cacheMb: 256 });
    expect(config.purgers).toEqual(['127.0.0.1']);
    expect(config.purgeSecret).toBeUndefined();
  });

  test('reads EDGE_PORT, EDGE_ORIGIN, EDGE_CACHE_MB, EDGE_PURGE_FROM and the secret', () => {
    const config = loadEdgeConfig({
      EDGE_PORT: '6081',
      EDGE_ORIGIN: 'origin.internal:3000',
      EDGE_CACHE_MB: '1024',
      EDGE_PURGE_FROM: '10.0.0.8, 10.0.1.0/24',
      CACHE_PURGE_SECRET: 'a-secret-of-enough-length',
    });
    expect(config).toMatchObject({ port: 6081, originHost: 'origin.internal', originPort: 3000, cacheMb: 1024 });
    expect(config.purgers).toEqual(['origin.internal', '10.0.0.8', '10.0.1.0/24']);
  });

  test.each([
    [{ EDGE_PORT: '80000' }, 'EDGE_PORT'],
    [{ EDGE_ORIGIN: 'http://127.0.0.1:3000/' }, 'EDGE_ORIGIN'],
    [{ EDGE_CACHE_MB: 'lots' }, 'EDGE_CACHE_MB'],
    [{ CACHE_PURGE_SECRET: 'short' }, 'CACHE_PURGE_SECRET'],
  ])('%j is refused, naming the variable', (env, name) => {
    expect(() => loadEdgeConfig(env)).toThrow(name);
  });
});

describe('the VCL npm run edge writes', () => {
  test('sets the origin, the purge ACL, the secret, the grace time and the error page', () => {
    const vcl = renderEdgeVcl(template, settings);
    expect(vcl).toContain('.host = "10.0.0.7";');
    expect(vcl).toContain('.port = "3100";');
    expect(vcl).toMatch(/acl purgers \{\s*"10\.0\.0\.7";\s*"10\.0\.1\.0"\/24;\s*\}/);
    expect(vcl).toContain('req.http.X-Purge-Secret != {"correct horse battery staple"}');
    expect(vcl).toContain('set beresp.grace = 900s;');
    expect(vcl).toContain('std.fileread({"/var/lib/news-edge/edge-error-page.html"})');
    expect(vcl).not.toContain('not-a-working-secret');
  });

  test('a secret or address that would change the VCL is refused', () => {
    expect(() => renderEdgeVcl(template, { ...settings, purgeSecret: 'x"} || true || {"' })).toThrow();
    expect(() => renderEdgeVcl(template, { ...settings, purgeSecret: 'line\nbreak-secret-value' })).toThrow();
    expect(() => renderEdgeVcl(template, { ...settings, purgers: ['10.0.0.7"; } sub vcl_recv {'] })).toThrow('not an address');
    expect(() => renderEdgeVcl(template, { ...settings, originHost: 'a b' })).toThrow();
  });

  test('a template that lost a marked line fails loudly', () => {
    expect(() => renderEdgeVcl(template.replace('# npm run edge: CACHE_PURGE_SECRET', ''), settings)).toThrow('CACHE_PURGE_SECRET');
  });
});

describe('purge requests', () => {
  test('keys are split into headers Varnish accepts, none lost', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `article-${i}`);
    const headers = keyHeaders(keys);
    expect(headers.length).toBeGreaterThan(1);
    for (const header of headers) expect(header.length).toBeLessThanOrEqual(4000);
    expect(headers.flatMap((header) => header.split(' '))).toEqual(keys);
    expect(keyHeaders([])).toEqual([]);
  });

  test('the site reads its cache nodes and needs the secret with them', () => {
    const config = loadConfig({
      CACHE_PURGE_URLS: 'http://10.0.0.5:8080/, http://10.0.0.6:8080',
      CACHE_PURGE_SECRET: 'a-secret-of-enough-length',
    });
    expect(config.cachePurgeUrls).toEqual(['http://10.0.0.5:8080', 'http://10.0.0.6:8080']);
    expect(loadConfig({}).cachePurgeUrls).toEqual([]);
    expect(() => loadConfig({ CACHE_PURGE_URLS: 'http://10.0.0.5:8080' })).toThrow('CACHE_PURGE_SECRET');
    expect(() => loadConfig({ CACHE_PURGE_URLS: 'http://10.0.0.5:8080/purge', CACHE_PURGE_SECRET: 'a-secret-of-enough-length' })).toThrow(
      'CACHE_PURGE_URLS',
    );
  });
});
