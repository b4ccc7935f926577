// The archive must hold exactly what the manifest lists (plus the manifest and 说明.txt):
// a listed entry that is missing, or an entry nobody listed, means the package was altered.
import { listNames, PackageError } from './errors';
import { isDirectoryName, MANIFEST_PATH, README_PATH } from './entry-names';
import { Manifest } from './manifest';
import { ZipEntry } from './zip/central-directory';

export function checkArchiveMatchesManifest(manifest: Manifest, byName: Map<string, ZipEntry>): void {
  const missing = manifest.forms.filter((form) => !byName.has(form.path));
  if (missing.length > 0) {
    throw new PackageError(
      'ENTRY_MISSING',
      `清单中列出的${listNames(missing.map((form) => form.path))}在上报文件中找不到：文件不完整或被修改过`,
      {
        entries: missing.map((form) => ({ path: form.path, formId: form.id, siteName: form.siteName })),
      },
    );
  }
  const listed = new Set([MANIFEST_PATH, README_PATH, ...manifest.forms.map((form) => form.path)]);
  const extra = [...byName.keys()].filter((name) => !listed.has(name) && !isDirectoryName(name));
  if (extra.length > 0) {
    throw new PackageError(
      'ENTRY_NOT_LISTED',
      `上报文件中的${listNames(extra)}不在清单中：上报文件生成后被加入了其他文件`,
      { entries: extra },
    );
  }
}
