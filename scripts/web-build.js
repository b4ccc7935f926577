// Builds apps/web (the offline client; later the console) with Vite when the built page is
// missing or older than any of its sources. Used by `npm run build` (so `npm start` serves
// /client) and by the browser tests, so neither ever uses a stale page.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const CLIENT_DIR = join(root, 'apps', 'web', 'dist', 'client');
const CLIENT_HTML = join(CLIENT_DIR, 'index.html');
const SOURCES = ['apps/web/src', 'apps/web/vite.config.mts', 'libs/forms/src', 'libs/package/src', 'package-lock.json'];

/** Returns true when it had to build. */
function ensureWebBuild() {
  if (existsSync(CLIENT_HTML) && statSync(CLIENT_HTML).mtimeMs >= newestSource()) return false;
  // Parallel callers may both find the page stale: each builds into its own folder and
  // renames the result into place, so a reader never sees a half-written file.
  const scratch = join(root, 'apps', 'web', 'dist', `.build-${process.pid}`);
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/web/vite.config.mts', '--outDir', scratch, '--emptyOutDir'], {
      cwd: root,
      stdio: 'pipe',
      // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    mkdirSync(CLIENT_DIR, { recursive: true });
    renameSync(join(scratch, 'index.html'), CLIENT_HTML);
    return true;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function newestSource() {
  return Math.max(...SOURCES.map((path) => newest(join(root, path))));
}

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

module.exports = { ensureWebBuild, CLIENT_DIR, CLIENT_HTML };

if (require.main === module) {
  const started = Date.now();
  const built = ensureWebBuild();
  process.stdout.write(built ? `build:web: apps/web/dist/client/index.html in ${Date.now() - started} ms\n` : 'build:web: up to date\n');
}
