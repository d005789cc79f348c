/**
 * ESLint for the whole repository (the root's eslint.config.js is this file): the recommended
 * JavaScript and typescript-eslint rules, without type information (fast, and the compiler's
 * strict mode already checks types), plus React's rules of hooks in the renderer.
 * Rules turned off are listed with why.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/', 'models/', 'test-artifacts/', '.likeness-test/', 'tools/lint/node_modules/', 'renderer/dist/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      // Scripts run by Node; ESLint has no global list of its own for it.
      globals: {
        process: 'readonly',
        console: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    rules: {
      // `_unused` names mark parameters an interface requires; everything else unused is an error
      // (tsc's noUnusedLocals/noUnusedParameters catch most of it first).
      // Off: the text checks reject control characters on purpose (file names, tags, queries).
      'no-control-regex': 'off',
      // Off: a variable given a value before a try/catch or if/else that assigns it on every path
      // (e.g. `let stat = null; try { stat = … } catch { stat = null }`) is the house style, and
      // TypeScript already checks that nothing is read unassigned.
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
