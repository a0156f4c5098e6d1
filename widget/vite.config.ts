import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The chat frame: `frame.html` + its module script, served by core at `/widget/*`.
 * The loader is built separately (vite.loader.config.ts) as one classic IIFE.
 */
export default defineConfig({
  base: '/widget/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2019',
    modulePreload: { polyfill: false },
    rollupOptions: { input: { frame: fileURLToPath(new URL('./frame.html', import.meta.url)) } },
  },
});
