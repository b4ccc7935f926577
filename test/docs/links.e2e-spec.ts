// The docs a fresh clone has: every relative link in the README and the docs resolves to a
// file of the repository (and a heading, for `#anchor` links), and no file names a design
// document that lives outside the repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function markdownFiles(): string[] {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)];
  for (const top of ['apps', 'libs'])
    for (const name of readdirSync(join(ROOT, top))) files.push(`${top}/${name}/README.md`);
  return files.filter((file) => file.endsWith('.md') && existsSync(join(ROOT, file)));
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

function brokenLinks(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const broken: string[] = [];
  for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(link)) continue;
    const [path, anchor] = link.split('#');
    const target = path ? resolve(ROOT, dirname(file), path) : join(ROOT, file);
    if (!target.startsWith(ROOT) || !existsSync(target)) {
      broken.push(`${file}: ${link} (no such file)`);
      continue;
    }
    if (anchor && statSync(target).isFile()) {
      const headings = [...readFileSync(target, 'utf8').matchAll(/^#+ (.*)$/gm)].map(([, heading]) => slug(heading));
      if (!headings.includes(decodeURIComponent(anchor))) broken.push(`${file}: ${link} (no such heading)`);
    }
  }
  return broken;
}

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, found);
    else if (/\.(ts|tsx|js|md|yml|yaml)$/.test(entry.name)) found.push(full);
  }
  return found;
}

describe('the docs in the repository', () => {
  it('has every file and heading its README and docs link to', () => {
    const files = markdownFiles();
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/ARCHITECTURE.md', 'docs/DOMAIN.md']));
    expect(files.flatMap(brokenLinks)).toEqual([]);
  });

  it('names no design document from outside the repository', () => {
    // Built from parts so that this file does not name them itself.
    const outside = new RegExp(
      ['DESIGN', 'FORMS', 'API'].map((name) => `\\b${name}\\.md`).join('|') + '|\\.\\./shared/',
    );
    const offenders = ['apps', 'libs', 'test', 'scripts', 'deploy', 'docs']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .concat(join(ROOT, 'README.md'))
      .filter((file) => outside.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
