// ESLint: typescript-eslint's recommended rules, plus the layering of STYLE.md enforced:
// routes → services → repositories → db, and nothing but server.ts and tests imports the app.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

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
  layer(
    ['src/db/**'],
    ['**/repositories/**', '**/services/**', '**/routes/**', '**/app'],
    'The database layer sits below everything else.',
  ),
  layer(
    ['src/repositories/**'],
    ['**/routes/**', '**/app', '**/services/**'],
    'Repositories hold SQL only; they do not call services or routes.',
  ),
  layer(['src/services/**'], ['**/routes/**', '**/app', 'express'], 'Services know nothing of HTTP: no routes, no Express.'),
  layer(['src/routes/**'], ['**/app', '**/server'], 'Routes do not import the app.'),
);
