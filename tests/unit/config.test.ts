import path from 'node:path';
import { ConfigError, loadConfig, searchThreadsPerWorker } from '../../src/config';

test('defaults match SITE.md', () => {
  const config = loadConfig({});
  expect(config.port).toBe(3000);
  expect(config.host).toBe('127.0.0.1');
  expect(config.databasePath).toBe(path.resolve('data/news.db'));
  expect(config.photosDir).toBe(path.resolve('data/photos'));
  expect(config.siteUrl).toBe('http://127.0.0.1:3000');
  expect(config.smtpUrl).toBeUndefined();
  expect(config.logLevel).toBe('info');
  expect(config.trustProxy).toBe(false);
  expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  expect(Object.isFrozen(config)).toBe(true);
});

test('reads every variable, and empty strings count as unset', () => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_PATH: '/var/lib/news/news.db',
    SITE_URL: 'https://news.example/',
    SMTP_URL: 'smtp://mail.example:587',
    MAIL_FROM: 'News <news@news.example>',
    LOG_LEVEL: 'debug',
    PHOTOS_DIR: '',
    TRUST_PROXY: 'loopback, 10.0.0.0/8',
  });
  expect(config).toMatchObject({
    port: 8080,
    host: '0.0.0.0',
    databasePath: '/var/lib/news/news.db',
    photosDir: '/var/lib/news/photos',
    siteUrl: 'https://news.example',
    smtpUrl: 'smtp://mail.example:587',
    mailFrom: 'News <news@news.example>',
    logLevel: 'debug',
    trustProxy: 'loopback, 10.0.0.0/8',
  });
});

test.each([
  ['PORT', 'eighty'],
  ['PORT', '70000'],
  ['SITE_URL', 'not a url'],
  ['SITE_URL', 'ftp://news.example'],
  ['SMTP_URL', 'http://mail.example'],
  ['LOG_LEVEL', 'loud'],
  ['NODE_ENV', 'staging'],
  ['TRUST_PROXY', 'true'],
  ['TRUST_PROXY', '10.0.0.0/8, everyone'],
  ['SECRET_KEY', 'short'],
])('a bad %s (%s) is refused with a message naming the variable', (name, value) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
});

test('every bad variable is reported at once', () => {
  try {
    loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
    throw new Error('expected a ConfigError');
  } catch (error) {
    expect((error as ConfigError).problems).toHaveLength(2);
  }
});

test('a message shows the value that was wrong and an example of a good one, but never a secret', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT: must be a port number from 0 to 65535 (got "eighty"; for example PORT=3000)');
  expect(() => loadConfig({ SECRET_KEY: 'hunter2' })).toThrow(/SECRET_KEY: must be at least 32 characters$/m);
  expect(() => loadConfig({ SECRET_KEY: 'hunter2' })).not.toThrow(/hunter2/);
  expect(() => loadConfig({ SMTP_URL: 'http://user:pa55word@mail.example' })).not.toThrow(/pa55word/);
});

test('a SITE_URL with a path is refused, since the site is served from the root of its host', () => {
  expect(() => loadConfig({ SITE_URL: 'https://news.example.com/news/' })).toThrow(/SITE_URL: must be the site's origin alone/);
  expect(() => loadConfig({ SITE_URL: 'https://news.example.com/?x=1' })).toThrow(ConfigError);
  expect(loadConfig({ SITE_URL: 'https://news.example.com/' }).siteUrl).toBe('https://news.example.com');
});

test('DATABASE_PATH: "~/" is the home folder, and an in-memory database is refused', () => {
  expect(loadConfig({ DATABASE_PATH: '~/news/news.db' }).databasePath).toBe(path.join(require('node:os').homedir(), 'news/news.db'));
  expect(() => loadConfig({ DATABASE_PATH: ':memory:' })).toThrow(/DATABASE_PATH: must name a file/);
});

test('LOG_LEVEL takes pino numbers as well as names', () => {
  expect(loadConfig({ LOG_LEVEL: '40' }).logLevel).toBe('warn');
  expect(loadConfig({ LOG_LEVEL: '10' }).logLevel).toBe('trace');
  expect(() => loadConfig({ LOG_LEVEL: '45' })).toThrow(/LOG_LEVEL: must be one of/);
});

test('search threads: the cores shared among the workers, at least one each, unless SEARCH_THREADS says', () => {
  expect(searchThreadsPerWorker(1, 2)).toBe(2);
  expect(searchThreadsPerWorker(2, 2)).toBe(1);
  expect(searchThreadsPerWorker(2, 8)).toBe(4);
  expect(searchThreadsPerWorker(8, 2)).toBe(1);
  expect(loadConfig({ WEB_CONCURRENCY: '1' }).searchThreads).toBe(searchThreadsPerWorker(1));
  expect(loadConfig({ WEB_CONCURRENCY: '1', SEARCH_THREADS: '0' }).searchThreads).toBe(0);
  expect(loadConfig({ SEARCH_THREADS: '3' }).searchThreads).toBe(3);
  expect(loadConfig({ SEARCH_REFUSAL_PAUSE_MS: '0' }).searchRefusalPauseMs).toBe(0);
  expect(loadConfig({}).searchRefusalPauseMs).toBe(15);
  expect(loadConfig({}).searchRefusalMaxPauseMs).toBe(50);
  // The longest pause is never shorter than the first.
  expect(loadConfig({ SEARCH_REFUSAL_PAUSE_MS: '80' }).searchRefusalMaxPauseMs).toBe(80);
  expect(loadConfig({}).searchMaxWaitMs).toBe(15);
  expect(loadConfig({}).searchYieldAt).toBe(0.9);
  expect(loadConfig({ SEARCH_YIELD_AT: '1' }).searchYieldAt).toBe(1);
  expect(() => loadConfig({ SEARCH_YIELD_AT: '90' })).toThrow(/SEARCH_YIELD_AT/);
  expect(() => loadConfig({ SEARCH_REFUSAL_PAUSE_MS: '-1' })).toThrow(/SEARCH_REFUSAL_PAUSE_MS/);
  expect(() => loadConfig({ SEARCH_REFUSAL_MAX_PAUSE_MS: 'soon' })).toThrow(/SEARCH_REFUSAL_MAX_PAUSE_MS/);
});
