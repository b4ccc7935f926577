// The e2e tests drive the BUILT page. They build it first when it is missing or older than
// any of its sources, so `npx jest test/client` never tests a stale page.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
export const CLIENT_DIR = join(root, 'apps', 'web', 'dist', 'client');
export const CLIENT_HTML = join(CLIENT_DIR, 'index.html');
const SOURCES = ['apps/web/src', 'apps/web/vite.config.mts', 'libs/forms/src', 'libs/package/src', 'package-lock.json'];

export function ensureWebBuild(): void {
  if (existsSync(CLIENT_HTML) && statSync(CLIENT_HTML).mtimeMs >= newestSource()) return;
  // Test files run in parallel and may both find the page stale: each builds into its own
  // folder and renames the result into place, so a reader never sees a half-written file.
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
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function newestSource(): number {
  return Math.max(...SOURCES.map((path) => newest(join(root, path))));
}

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}
