// ESLint with typescript-eslint, after the rules of the Temporal TypeScript samples: no floating
// promises anywhere, and nothing non-deterministic or Node-only in the workflow sandbox.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// What may never reach the workflow bundle: Node built-ins, drivers, the mailer, activities' code.
const SIDE_EFFECTS = ['nodemailer', 'better-sqlite3', 'pg', 'kysely', 'express', 'pino', '@temporalio/worker', '@temporalio/client'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'api/public/**', 'test/fixtures/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'object-shorthand': ['error', 'always'],
      'no-control-regex': 'off',
    },
  },
  {
    // Deterministic code: the workflow, and the domain it imports.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...NODE_BUILTINS, ...SIDE_EFFECTS].map((name) => ({
            name,
            message: 'not in deterministic code: the workflow sandbox has no Node APIs or I/O',
          })),
          patterns: [
            {
              group: ['**/activities', '**/activities/**', '!**/activities/types'],
              allowTypeImports: true,
              message: 'workflows import activities as types only',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'configuration reaches the workflow through its input, never process.env' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
