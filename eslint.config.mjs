// ESLint: typescript-eslint's recommended rules, plus the layering of docs/architecture.md, by the
// role a file's name gives it: repositories (*-repository.ts) hold SQL and import only db/ and
// other repositories; only routers (*-router.ts), http/, delivery/ and app.ts know Express; only
// app.ts wires routers, so no feature imports another feature's routes; db/ sits below everything.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// In flat config the last block that matches a file sets a rule's whole options, so each role's
// block below names every restriction that applies to it, from the most general to the most specific.
const restrict = (files, rules) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: rules.map(([match, message]) => (typeof match === 'string' ? { regex: match, message } : { group: match, message })) },
    ],
  },
});
const NO_ROUTERS = [
  ['**/*-router', '**/app', '**/server'],
  "Routers are wired by app.ts alone: no feature imports another feature's routes, and nothing imports the app.",
];
const NO_EXPRESS = [['express', 'express/*'], 'Only routers (*-router.ts), http/, delivery/ and app.ts know Express.'];
// A relative import that names neither db/ nor a *-repository file.
const REPOSITORY = [
  String.raw`^\.\.?/(?!db/)(?!(?:[\w-]+/)?[\w-]+-repository$)`,
  'Repositories hold SQL only: they import db/ and other repositories, nothing else of the site.',
];
const DATABASE = [String.raw`^\.\./(?!project-paths$)`, 'The database layer sits below everything else.'];

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'coverage/', 'node_modules/', 'tests/e2e/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  // The few scripts browsers run (the newsroom's): a browser's globals, not Node's.
  {
    files: ['assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', window: 'readonly', EventSource: 'readonly' } },
  },
  // bin/ is plain CommonJS for Node, run before any compiled code.
  { files: ['bin/**/*.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
  restrict(['src/**/*.ts'], [NO_ROUTERS, NO_EXPRESS]),
  restrict(['src/**/*-router.ts', 'src/http/**', 'src/delivery/**'], [NO_ROUTERS]),
  restrict(['src/**/*-repository.ts'], [NO_ROUTERS, NO_EXPRESS, REPOSITORY]),
  restrict(['src/db/**'], [NO_ROUTERS, NO_EXPRESS, DATABASE]),
  { files: ['src/app.ts', 'src/server.ts', 'src/http-worker.ts'], rules: { 'no-restricted-imports': 'off' } },
);
