// Every way a package can be refused, each with its own stable code (docs/PACKAGE-FORMAT.md,
// Refusals). Codes cross the bus and the HTTP API unchanged; messages are Chinese and
// name the entry or form concerned; details carry the same facts for programs.

export const PACKAGE_ERROR_CODES = [
  /** The upload is bigger than the configured package limit. */
  'PACKAGE_TOO_LARGE',
  /** The bytes are not a ZIP archive at all. */
  'NOT_A_ZIP',
  /** A ZIP, but truncated or damaged (bad structure, CRC or size mismatch, bad deflate data). */
  'ZIP_CORRUPT',
  /** A ZIP using features packages never use: ZIP64, encryption, multi-disk, other compression. */
  'ZIP_UNSUPPORTED',
  /** An entry name with `..`, an absolute path, a drive letter or a backslash. */
  'ENTRY_NAME_UNSAFE',
  /** A non-ASCII entry name without the UTF-8 language-encoding flag (re-zipped by another tool). */
  'ENTRY_NAME_NOT_UTF8',
  /** The same entry name twice in the archive. */
  'ENTRY_DUPLICATE',
  /** No manifest.json. */
  'MANIFEST_MISSING',
  /** manifest.json is not JSON or lacks required fields. */
  'MANIFEST_INVALID',
  /** manifest.json names another format or format version. */
  'FORMAT_UNSUPPORTED',
  /** manifest.json names a schema version this system does not know. */
  'SCHEMA_VERSION_UNSUPPORTED',
  /** More forms (or entries) than the limit, 5,000 by default. */
  'TOO_MANY_FORMS',
  /** The manifest lists an entry the archive does not contain. */
  'ENTRY_MISSING',
  /** The archive contains an entry the manifest does not list. */
  'ENTRY_NOT_LISTED',
  /** One entry inflates to more than the per-entry limit. */
  'ENTRY_TOO_LARGE',
  /** All entries together inflate to more than the total limit. */
  'TOTAL_TOO_LARGE',
  /** An entry's bytes do not match the sha256 in the manifest: it was edited after export. */
  'HASH_MISMATCH',
  /** The same form UUID twice. */
  'DUPLICATE_FORM_ID',
  /** A form entry that is not UTF-8 JSON. */
  'FORM_UNREADABLE',
  /** A form entry whose id differs from the id the manifest lists for it. */
  'FORM_ID_MISMATCH',
  /** One or more forms fail validation; details list every error by form and field. */
  'FORM_INVALID',
  /** The writer was not told which 填报单位 is filing. */
  'FILLER_UNIT_MISSING',
] as const;

export type PackageErrorCode = (typeof PACKAGE_ERROR_CODES)[number];

export class PackageError extends Error {
  constructor(
    readonly code: PackageErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PackageError';
  }

  /** The `{code, message, details}` envelope errors travel in over the bus and HTTP. */
  toJSON(): { code: PackageErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Lists at most a few names in a message; details keep them all. */
export function listNames(names: readonly string[], max = 5): string {
  const shown = names
    .slice(0, max)
    .map((name) => `“${name}”`)
    .join('、');
  return names.length > max ? `${shown}等${names.length}个` : shown;
}
