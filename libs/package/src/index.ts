// @app/package — the package (.zip) writer and reader and the Excel template. Runs in Node
// and in the browser (no node: imports).
export { PACKAGE_ERROR_CODES, PackageError, listNames } from './errors';
export type { PackageErrorCode } from './errors';
export { DEFAULT_PACKAGE_LIMITS, resolveLimits, formatBytes } from './limits';
export type { PackageLimits } from './limits';
export { PACKAGE_FORMAT, PACKAGE_FORMAT_VERSION, parseManifest } from './manifest';
export type { Manifest, ManifestForm } from './manifest';
export { MANIFEST_PATH, README_PATH, formEntryPath } from './entry-names';
export { writePackage } from './write-package';
export type { WritePackageOptions } from './write-package';
export { readPackage, assertAllFormsValid } from './read-package';
export type { PackageContents } from './read-package';
export { describeInvalidForm, invalidFormsError } from './invalid-forms';
export type { InvalidForm } from './invalid-forms';
export { sha256Hex } from './sha256';
export { portableCodec } from './codec';
export type { PackageCodec, InflateResult } from './codec';
export { writeTemplate } from './template/write-template';
export { readTemplate } from './template/read-template';
export type { TemplateForm, TemplateResult, ReadTemplateOptions } from './template/read-template';
export { DEFAULT_TEMPLATE_LIMITS } from './template/grid';
export type { TemplateLimits } from './template/grid';
export { detectFileFormat } from './template/detect-format';
export type { FileFormat } from './template/detect-format';
export { TemplateError, TEMPLATE_ERROR_CODES } from './template/template-error';
export type { TemplateCellError, TemplateErrorCode } from './template/template-error';
export { OFFLINE_CLIENT_DIR, OFFLINE_CLIENT_HTML, OFFLINE_CLIENT_DOWNLOAD_NAME } from './offline-client';
