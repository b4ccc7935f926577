// Builds apps/web with Vite when a built page is missing or older than any of its sources:
// the console (src/console → dist/index.html, served at `/`) and the offline client
// (src/client → dist/client/index.html, served at `/client`). Used by `npm run build` (so
// `npm start` serves both) and by the browser tests, so neither ever uses a stale page.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const DIST = join(root, 'apps', 'web', 'dist');
const CLIENT_DIR = join(DIST, 'client');
const CLIENT_HTML = join(CLIENT_DIR, 'index.html');
const CONSOLE_HTML = join(DIST, 'index.html');
const SHARED = ['libs/forms/src', 'libs/workflow/src', 'package-lock.json'];

const PAGES = [
  {
    output: CLIENT_HTML,
    config: 'apps/web/vite.config.mts',
    sources: ['apps/web/src/client', 'apps/web/vite.config.mts', 'libs/package/src', ...SHARED],
  },
  // The console imports the client's stylesheet, so the client's sources count for it too.
  {
    output: CONSOLE_HTML,
    config: 'apps/web/vite.console.config.mts',
    sources: ['apps/web/src/console', 'apps/web/src/client', 'apps/web/vite.console.config.mts', ...SHARED],
  },
];

/** Returns true when it had to build something. */
function ensureWebBuild() {
  let built = false;
  for (const page of PAGES) {
    if (existsSync(page.output) && statSync(page.output).mtimeMs >= newestOf(page.sources)) continue;
    buildPage(page);
    built = true;
  }
  return built;
}

function buildPage(page) {
  // Parallel callers may both find the page stale: each builds into its own folder and
  // renames the result into place, so a reader never sees a half-written file.
  const scratch = join(DIST, `.build-${process.pid}`);
  try {
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        page.config,
        '--outDir',
        scratch,
        '--emptyOutDir',
      ],
      {
        cwd: root,
        stdio: 'pipe',
        // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    mkdirSync(join(page.output, '..'), { recursive: true });
    renameSync(join(scratch, 'index.html'), page.output);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function newestOf(sources) {
  return Math.max(...sources.map((path) => newest(join(root, path))));
}

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

module.exports = { ensureWebBuild, CLIENT_DIR, CLIENT_HTML, CONSOLE_HTML };

if (require.main === module) {
  const started = Date.now();
  const built = ensureWebBuild();
  process.stdout.write(
    built
      ? `build:web: apps/web/dist/index.html and client/index.html up to date in ${Date.now() - started} ms\n`
      : 'build:web: up to date\n',
  );
}
