/**
 * Builds the renderer (React) into dist/renderer, served by the web mode at / and by the Electron
 * `likeness://app/` protocol. Run from the repository root:
 *   npx vite build --config renderer/vite.config.ts
 * Asset URLs are absolute (/assets/…): both fronts serve the app at the root of its origin.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: 'public',
  clearScreen: false,
  logLevel: 'warn',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // One script and one stylesheet, no inline code: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-query marks its hooks "use client" for React Server Components; this app has
        // none, so the directive means nothing here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
