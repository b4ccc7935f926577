// The e2e tests drive the BUILT page. They build it first when it is missing or older than
// any of its sources, so `npx jest test/client` never tests a stale page.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
export const CLIENT_DIR = join(root, 'apps', 'web', 'dist', 'client');
export const CLIENT_HTML = join(CLIENT_DIR, 'index.html');
const SOURCES = ['apps/web/src', 'apps/web/vite.config.mts', 'libs/forms/src', 'libs/package/src', 'package-lock.json'];

export function ensureWebBuild(): void {
  if (existsSync(CLIENT_HTML) && statSync(CLIENT_HTML).mtimeMs >= newestSource()) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/web/vite.config.mts'], { cwd: root, stdio: 'pipe' });
}

function newestSource(): number {
  return Math.max(...SOURCES.map((path) => newest(join(root, path))));
}

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}
