// Builds the console into dist/console, which the API serves under /console (apps/api/src/console).
import { fileURLToPath, URL } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/console/',
  plugins: [preact()],
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    // Every byte comes from this origin: no CDN, no web font, nothing inlined as a data: script.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
});
