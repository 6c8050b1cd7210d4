// One lint configuration for the whole monorepo. Formatting is prettier's job, not eslint's.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      '**/.sluice/**',
      '**/src/generated/**',
      '**/test-results/**',
      '**/playwright-report/**',
      '**/.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='eval']",
          message: 'eval is forbidden: user data is never code.',
        },
        {
          selector: "NewExpression[callee.name='Function']",
          message: 'new Function is forbidden: user data is never code.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:vm', message: 'vm is forbidden: user data is never code.' },
            { name: 'vm', message: 'vm is forbidden.' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // DESIGN §2: spec is pure and imports nothing with I/O.
    files: ['packages/spec/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '@sluice/*', '@prisma/*', 'pg'],
              message: 'spec is pure: zod and CEL only (DESIGN §2).',
            },
          ],
        },
      ],
    },
  },
  {
    // The browser-safe half of nodes must not pull in server code.
    files: ['packages/nodes/src/**/*.ts'],
    ignores: [
      'packages/nodes/src/server.ts',
      'packages/nodes/src/server-*.ts',
      'packages/nodes/src/**/execute.ts',
      'packages/nodes/src/**/*.test.ts',
      'packages/nodes/src/**/executor*.ts',
      // Test fixtures (a loopback model server…), exported as @sluice/nodes/testing, never from the browser entry.
      'packages/nodes/src/testing/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '@sluice/engine', '@sluice/db', '@sluice/api', '@prisma/*', 'pg'],
              message: 'the browser entry of nodes imports spec only (DESIGN §2).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/engine/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@prisma/*', 'pg', '@sluice/db', '@sluice/api', '@sluice/server'],
              message: 'engine talks to storage only through its Store interface (DESIGN §2).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/**/*.ts'],
    ignores: ['packages/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@prisma/*', '**/generated/prisma/**'],
              message: 'only packages/db imports Prisma (CONVENTIONS 2).',
            },
            { group: ['@sluice/server', '@sluice/web'], message: 'nothing imports an app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@sluice/db', '@sluice/engine', '@sluice/nodes/server', 'node:*'],
              message: 'web imports spec, the browser half of nodes, and api types only.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
