import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** `dist/loader.js`: one classic script (IIFE) with a stable name, so embed snippets never change. */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    // es2020: object spread and optional chaining are native (smaller, and no esbuild helper lands at the top level as a page global).
    target: 'es2020',
    // Terser with two passes packs the loader a few per cent tighter than esbuild: it must stay within 6 KB gzipped.
    minify: 'terser',
    terserOptions: { compress: { passes: 2 } },
    lib: {
      entry: fileURLToPath(new URL('./src/loader/index.ts', import.meta.url)),
      formats: ['iife'],
      name: 'KefuLoader',
      fileName: () => 'loader.js',
    },
  },
});
