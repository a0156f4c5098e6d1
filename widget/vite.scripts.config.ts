import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The scripts customers' pages load from the Kefu server, each one file with a stable name (`--mode` picks which):
 * - `loader`: `dist/loader.js`, one classic script (IIFE), so embed snippets never change; it must stay within 6 KB gzipped.
 * - `invite`: `dist/invite.js`, the invitation window as an ES module, which the loader imports only when an
 *   invitation arrives (the server sends `/widget/*` with CORS, since the page is another site).
 */
const SCRIPTS = {
  loader: { entry: './src/loader/index.ts', formats: ['iife'], name: 'KefuLoader' },
  invite: { entry: './src/invite/index.ts', formats: ['es'] },
} as const;

export default defineConfig(({ mode }) => {
  const script = SCRIPTS[mode as keyof typeof SCRIPTS];
  if (!script) throw new Error(`--mode is one of ${Object.keys(SCRIPTS).join(', ')}`);
  return {
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      // es2020: object spread and optional chaining are native (smaller, and no esbuild helper lands at the top level as a page global).
      target: 'es2020',
      // Terser with two passes packs these a few per cent tighter than esbuild (which also keeps an ES library's whitespace).
      minify: 'terser',
      terserOptions: { compress: { passes: 2 } },
      lib: {
        entry: fileURLToPath(new URL(script.entry, import.meta.url)),
        formats: [...script.formats],
        ...('name' in script ? { name: script.name } : {}),
        fileName: () => `${mode}.js`,
      },
    },
  };
});
