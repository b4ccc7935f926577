#!/usr/bin/env node
// Compiles every server-side TypeScript file (apps/*/src, libs/*/src) to dist/ with swc.
// swc rewrites the tsconfig path aliases (@app/*) to relative requires, so `node dist/...`
// runs with no loader. Type checking is `npm run typecheck` (tsc), run by `npm test`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');
const { ensureWebBuild } = require('./web-build');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist');
const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const SKIP_APPS = new Set(['web']);

function sources() {
  const files = [];
  for (const top of ['apps', 'libs']) {
    const topDir = path.join(root, top);
    if (!fs.existsSync(topDir)) continue;
    for (const name of fs.readdirSync(topDir)) {
      if (top === 'apps' && SKIP_APPS.has(name)) continue;
      walk(path.join(topDir, name, 'src'), files);
    }
  }
  return files;
}

function walk(dir, files) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, files);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts'))
      files.push(full);
    else if (entry.name.endsWith('.json') || entry.name.endsWith('.html')) copy(full);
  }
}

function copy(file) {
  const target = path.join(outDir, path.relative(root, file));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeIfChanged(target, fs.readFileSync(file));
}

// A file the same as before is left alone: a build run while processes run from dist/ (a
// test file building while another's cluster boots) never shows them a half-written module.
function writeIfChanged(target, content) {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  if (fs.existsSync(target) && fs.readFileSync(target).equals(bytes)) return;
  fs.writeFileSync(target, bytes);
}

async function main() {
  const started = Date.now();
  const files = sources();
  const options = {
    ...swcrc,
    jsc: { ...swcrc.jsc, baseUrl: root, paths: tsconfig.compilerOptions.paths },
  };
  await Promise.all(
    files.map(async (file) => {
      const rel = path.relative(root, file);
      const target = path.join(outDir, rel.replace(/\.ts$/, '.js'));
      const { code, map } = await swc.transformFile(file, {
        ...options,
        filename: file,
        sourceFileName: path.relative(path.dirname(target), file),
      });
      fs.mkdirSync(path.dirname(target), { recursive: true });
      writeIfChanged(target, map ? `${code}\n//# sourceMappingURL=${path.basename(target)}.map` : code);
      if (map) writeIfChanged(`${target}.map`, map);
    }),
  );
  process.stdout.write(`build: ${files.length} files → dist/ in ${Date.now() - started} ms\n`);
  if (!process.argv.includes('--server-only')) {
    const webStarted = Date.now();
    if (ensureWebBuild())
      process.stdout.write(`build: web console and offline client → apps/web/dist in ${Date.now() - webStarted} ms\n`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
