// readPackage: the .zip → its manifest and forms, safely, for hostile input. Every refusal of
// docs/PACKAGE-FORMAT.md is a PackageError with its own code, thrown before anything is returned — except
// forms that fail validation: those come back in `rejected` with ALL their errors, so the
// caller reports every problem (use assertAllFormsValid to refuse the package over them).
import { SiteForm, validateForm } from '@app/forms';
import { listNames, PackageError } from './errors';
import { isDirectoryName, MANIFEST_PATH, README_PATH, unsafeNameReason } from './entry-names';
import { formatBytes, PackageLimits, resolveLimits } from './limits';
import { Manifest, ManifestForm, parseManifest } from './manifest';
import { readCentralDirectory, ZipEntry } from './zip/central-directory';
import { InflateBudget, readEntry } from './zip/inflate-entry';
import { PackageCodec, portableCodec } from './codec';
import { InvalidForm, invalidFormsError } from './invalid-forms';
import { checkArchiveMatchesManifest } from './check-listing';
import { parseFormEntries } from './parse-form-entries';

export interface PackageContents {
  manifest: Manifest;
  /** Valid forms, normalized, in manifest order. */
  forms: SiteForm[];
  /** Forms that failed validation, each with every error. */
  rejected: InvalidForm[];
}

/** `codec`: the portable one runs anywhere; server code passes nodeCodec ('@app/package/node-codec'). */
export function readPackage(
  bytes: Uint8Array,
  limits: Partial<PackageLimits> = {},
  codec: PackageCodec = portableCodec,
): PackageContents {
  const resolved = resolveLimits(limits);
  if (bytes.length > resolved.maxPackageBytes) {
    throw new PackageError(
      'PACKAGE_TOO_LARGE',
      `上报文件大小为 ${formatBytes(bytes.length)}，超过了 ${formatBytes(resolved.maxPackageBytes)} 的上限，请分成几个文件上报`,
      {
        size: bytes.length,
        limit: resolved.maxPackageBytes,
      },
    );
  }
  const entries = readCentralDirectory(bytes);
  checkEntryNames(entries.filter((entry) => !entry.legacyName));
  checkEntryCount(entries, resolved);
  const budget: InflateBudget = {
    maxEntryBytes: resolved.maxEntryBytes,
    maxTotalBytes: resolved.maxTotalBytes,
    usedBytes: 0,
  };
  const manifest = readManifest(bytes, new Map(entries.map((entry) => [entry.name, entry])), budget, codec);
  checkManifestForms(manifest, resolved);
  const byName = matchLegacyNames(entries, manifest, codec);
  checkArchiveMatchesManifest(manifest, byName);
  const contents = manifest.forms.map((listed) => readEntry(bytes, byName.get(listed.path) as ZipEntry, budget, codec));
  checkHashes(manifest.forms, contents, codec);
  const documents = parseFormEntries(manifest.forms, contents);
  return validateForms(manifest, documents);
}

/** Throws FORM_INVALID listing every error of every rejected form, if there is any. */
export function assertAllFormsValid(contents: PackageContents): SiteForm[] {
  if (contents.rejected.length > 0) throw invalidFormsError(contents.rejected);
  return contents.forms;
}

function checkEntryNames(entries: ZipEntry[]): void {
  const unsafe = entries
    .map((entry) => ({ entry: entry.name, reason: unsafeNameReason(entry.name) }))
    .filter((item) => item.reason !== null);
  if (unsafe.length > 0) {
    throw new PackageError(
      'ENTRY_NAME_UNSAFE',
      `上报文件中有不安全的文件名：${listNames(unsafe.map((item) => `${item.entry}（${item.reason}）`))}`,
      { entries: unsafe },
    );
  }
}

/** Bounds the work before inflating anything: a form per entry, plus manifest and 说明.txt. */
/**
 * Names re-zipped on Chinese Windows (CP936 bytes, no UTF-8 flag) take the manifest's path
 * they decode to exactly; the sha256 of each form still proves its content. Any other such
 * name — not CP936, or a path the manifest does not list — refuses the package.
 */
function matchLegacyNames(entries: ZipEntry[], manifest: Manifest, codec: PackageCodec): Map<string, ZipEntry> {
  const listed = new Set([MANIFEST_PATH, README_PATH, ...manifest.forms.map((form) => form.path)]);
  const byName = new Map<string, ZipEntry>();
  const unmatched: string[] = [];
  for (const entry of entries.filter((item) => !item.legacyName)) byName.set(entry.name, entry);
  for (const entry of entries.filter((item) => item.legacyName)) {
    const decoded = codec.decodeCp936(entry.rawName);
    if (decoded === null || !listed.has(decoded)) {
      unmatched.push(decoded ?? entry.name);
      continue;
    }
    if (byName.has(decoded))
      throw new PackageError('ENTRY_DUPLICATE', `上报文件中“${decoded}”出现了两次，无法确定以哪个为准`, {
        entry: decoded,
      });
    entry.name = decoded;
    entry.legacyName = false;
    byName.set(decoded, entry);
  }
  if (unmatched.length > 0) {
    throw new PackageError(
      'ENTRY_NAME_NOT_UTF8',
      `上报文件中的${listNames(unmatched)}不是UTF-8编码的文件名，按中文Windows的编码（GBK）读出后也不是清单中列出的文件：这通常是解压后改动了文件再重新打包造成的。请直接上报离线填报工具生成的文件，不要解压修改`,
      { entries: unmatched },
    );
  }
  return byName;
}

function checkEntryCount(entries: ZipEntry[], limits: PackageLimits): void {
  const files = entries.filter((entry) => !isDirectoryName(entry.name)).length;
  if (files > limits.maxForms + 2) {
    throw new PackageError(
      'TOO_MANY_FORMS',
      `上报文件中有${files}个文件，超过了每个文件最多${limits.maxForms}张表的上限`,
      { entries: files, limit: limits.maxForms },
    );
  }
}

function readManifest(
  bytes: Uint8Array,
  byName: Map<string, ZipEntry>,
  budget: InflateBudget,
  codec: PackageCodec,
): Manifest {
  const entry = byName.get(MANIFEST_PATH);
  if (!entry) {
    throw new PackageError(
      'MANIFEST_MISSING',
      '上报文件中没有清单 manifest.json：它不是离线填报工具生成的上报文件，或被解压修改后重新打包过',
      {
        entries: [...byName.keys()].slice(0, 20),
      },
    );
  }
  return parseManifest(readEntry(bytes, entry, budget, codec));
}

function checkManifestForms(manifest: Manifest, limits: PackageLimits): void {
  if (manifest.forms.length > limits.maxForms) {
    throw new PackageError(
      'TOO_MANY_FORMS',
      `一个上报文件最多${limits.maxForms}张表，这个文件有${manifest.forms.length}张，请分成几个文件`,
      {
        count: manifest.forms.length,
        limit: limits.maxForms,
      },
    );
  }
  const unsafe = manifest.forms.filter(
    (form) => unsafeNameReason(form.path) !== null || form.path === MANIFEST_PATH || form.path === README_PATH,
  );
  if (unsafe.length > 0) {
    throw new PackageError(
      'ENTRY_NAME_UNSAFE',
      `清单中有不安全的文件名：${listNames(unsafe.map((form) => form.path))}`,
      { entries: unsafe.map((form) => form.path) },
    );
  }
  const byId = new Map<string, ManifestForm>();
  for (const form of manifest.forms) {
    const other = byId.get(form.id);
    if (other) {
      throw new PackageError(
        'DUPLICATE_FORM_ID',
        `《${other.siteName}》和《${form.siteName}》的表单编号相同（${form.id}）：一个网站只能有一张表`,
        {
          formId: form.id,
          entries: [other.path, form.path],
        },
      );
    }
    byId.set(form.id, form);
  }
  const paths = new Set<string>();
  for (const form of manifest.forms) {
    if (paths.has(form.path))
      throw new PackageError('MANIFEST_INVALID', `清单中“${form.path}”被列了两次`, {
        reason: 'duplicate path',
        entry: form.path,
      });
    paths.add(form.path);
  }
}

function checkHashes(listed: ManifestForm[], contents: Uint8Array[], codec: PackageCodec): void {
  const edited = listed.filter((form, index) => codec.sha256Hex(contents[index]) !== form.sha256);
  if (edited.length > 0) {
    throw new PackageError(
      'HASH_MISMATCH',
      `上报文件生成后被修改过：${listNames(edited.map((form) => form.path))}的内容与清单中的校验值不符。请在离线填报工具中修改后重新生成，不要直接修改上报文件`,
      { entries: edited.map((form) => ({ path: form.path, formId: form.id, siteName: form.siteName })) },
    );
  }
}

function validateForms(manifest: Manifest, documents: unknown[]): PackageContents {
  const forms: SiteForm[] = [];
  const rejected: InvalidForm[] = [];
  documents.forEach((document, index) => {
    const listed = manifest.forms[index];
    const result = validateForm(document);
    if (result.ok) forms.push(result.value);
    else
      rejected.push({ index, formId: listed.id, siteName: listed.siteName, path: listed.path, errors: result.errors });
  });
  return { manifest, forms, rejected };
}
