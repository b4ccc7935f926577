// Builds the offline client (src/client) into ONE self-contained HTML file,
// dist/client/index.html: scripts and styles inlined, no network needed, works from file://.
// It bundles the very same @app/forms validator and @app/package writer the server uses.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./src/client'),
  base: './',
  plugins: [viteSingleFile({ removeViteModuleLoader: true })],
  resolve: {
    alias: {
      '@app/forms': here('../../libs/forms/src'),
      '@app/package': here('../../libs/package/src'),
    },
  },
  build: {
    outDir: here('./dist/client'),
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 4096,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
  },
  logLevel: 'warn',
});
