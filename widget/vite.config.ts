import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const frameHtml = fileURLToPath(new URL('./frame.html', import.meta.url));
const previewHtml = fileURLToPath(new URL('./preview.html', import.meta.url));

/**
 * STYLE-PREVIEW-6: the console's preview page shows the chat window's own markup, so it is copied from frame.html
 * (everything in <body> but its script) into preview.html's marker when built or served: one markup, two entries.
 */
function frameMarkup(): Plugin {
  return {
    name: 'kefu-frame-markup',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        if (!ctx.filename.endsWith('preview.html')) return html;
        const frame = fs.readFileSync(frameHtml, 'utf8');
        const body = frame.slice(frame.indexOf('<body>') + '<body>'.length, frame.indexOf('<script type="module"'));
        if (!body.includes('id="app"')) throw new Error('frame.html: the chat window markup was not found');
        return html.replace(/<!-- kefu:frame-markup[^>]*-->/, () => body.trim());
      },
    },
  };
}

/**
 * The chat frame: `frame.html` + its module script, served by core at `/widget/*`; `preview.html` is the console's
 * live preview of it (STYLE-PREVIEW-6), a separate entry. The loader and the invitation are built separately (vite.scripts.config.ts) as single files with stable names.
 */
export default defineConfig({
  base: '/widget/',
  plugins: [frameMarkup()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2019',
    modulePreload: { polyfill: false },
    rollupOptions: { input: { frame: frameHtml, preview: previewHtml } },
  },
});
