import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** First-party plugin screens live in the repo's `plugins/<id>/admin/` (ARCHITECTURE §4). */
const pluginsDir = process.env.KEFU_ADMIN_PLUGINS_DIR ?? here('../plugins');
/** Where `vite` (dev) forwards API and socket traffic; the built console is served by core itself. */
const devServer = process.env.KEFU_DEV_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: {
      '@': here('./src'),
      '@kefu-plugins': pluginsDir,
      // What plugin folders import; pinned so they share the console's single instance of it.
      '@kefu/admin-ui/plugin': here('./src/plugins/define-admin-plugin.ts'),
    },
    // Plugin folders import these too; there must be exactly one copy of each in the bundle.
    dedupe: ['vue', 'vue-router', 'pinia', 'vue-i18n', 'element-plus', '@element-plus/icons-vue'],
  },
  define: {
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: true,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    fs: { allow: [here('..'), pluginsDir] },
    proxy: {
      '/api': devServer,
      '/healthz': devServer,
      '/socket.io': { target: devServer, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
    // The list of built files the service worker stores for offline use (OTHERSET-AUTOSTART-8).
    manifest: 'build-manifest.json',
    rollupOptions: {
      output: {
        // Long-lived vendor chunks that change rarely. Element Plus is left to Rollup on purpose: its
        // components then land in the chunks of the screens that use them (a manual chunk keeps all of it).
        manualChunks(id) {
          if (/node_modules\/(socket\.io-client|engine\.io-client|socket\.io-parser|engine\.io-parser|@socket\.io)\//.test(id)) return 'socket';
          if (/node_modules\/(@vue|vue|vue-router|pinia|vue-i18n|@intlify)\//.test(id)) return 'vue';
          return undefined;
        },
      },
    },
  },
});
