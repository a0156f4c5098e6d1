import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** `dist/loader.js`: one classic script (IIFE) with a stable name, so embed snippets never change. */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    // es2018: object spread is native, so no esbuild helpers land at the top level as page globals.
    target: 'es2018',
    lib: {
      entry: fileURLToPath(new URL('./src/loader/index.ts', import.meta.url)),
      formats: ['iife'],
      name: 'KefuLoader',
      fileName: () => 'loader.js',
    },
  },
});
