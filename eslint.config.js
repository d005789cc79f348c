// ESLint finds its configuration here; it lives with the linter (tools/lint/eslint.config.js).
export { default } from './tools/lint/eslint.config.js';
