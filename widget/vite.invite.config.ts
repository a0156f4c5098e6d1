import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * `dist/invite.js`: the invitation window as one ES module with a stable name, which the loader imports from the Kefu
 * server only when an invitation arrives (the server sends it with CORS, since the page is another site).
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2020',
    // Vite keeps an ES library's whitespace even with esbuild; terser (as for the loader) packs it.
    minify: 'terser',
    lib: {
      entry: fileURLToPath(new URL('./src/invite/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'invite.js',
    },
  },
});
