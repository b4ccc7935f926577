import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const roots = new Map<string, string>();

/**
 * The repository root (where package.json names this project), from source or from dist/.
 * Looked up once per start folder: the CSP header asks for it on every request.
 */
export function projectRoot(start = __dirname): string {
  let root = roots.get(start);
  if (root === undefined) {
    root = findProjectRoot(start);
    roots.set(start, root);
  }
  return root;
}

function findProjectRoot(start: string): string {
  let dir = start;
  while (dirname(dir) !== dir) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'gov-site-report') return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the project root');
}

/** Where `npm run build:web` writes the console and the offline client. */
export function webDistDir(): string {
  return join(projectRoot(), 'apps', 'web', 'dist');
}
