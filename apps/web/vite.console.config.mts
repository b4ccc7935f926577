// Builds the web console (src/console) into ONE file, dist/index.html, that the gateway
// serves at `/`. Single file like the offline client: one request for the whole app
// (~250 KB, ~75 KB gzipped), nothing else for the gateway to serve or cache.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./src/console'),
  base: './',
  plugins: [viteSingleFile({ removeViteModuleLoader: true })],
  resolve: {
    alias: {
      '@app/forms': here('../../libs/forms/src'),
      '@app/workflow': here('../../libs/workflow/src'),
    },
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: false,
    target: 'es2020',
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
  },
  logLevel: 'warn',
});
