// manifest.json: what the package claims to hold. Parsing checks its shape strictly; the
// reader then checks the archive against it.
import { forbiddenCharacter, isFormId, isPlainObject, SCHEMA_VERSION, showForbiddenCharacters } from '@app/forms';
import { PackageError } from './errors';

export const PACKAGE_FORMAT = 'gov-site-report-package';
export const PACKAGE_FORMAT_VERSION = 1;

export interface ManifestForm {
  id: string;
  path: string;
  sha256: string;
  siteName: string;
}

export interface Manifest {
  format: typeof PACKAGE_FORMAT;
  formatVersion: typeof PACKAGE_FORMAT_VERSION;
  schemaVersion: string;
  generator: { name: string; version: string };
  createdAt: string;
  fillerUnit: string;
  forms: ManifestForm[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function parseManifest(bytes: Uint8Array): Manifest {
  const json = parseJson(bytes);
  const unsafe = findUnsafeText(json, '');
  if (unsafe) throw invalid(unsafe);
  if (json.format !== PACKAGE_FORMAT || json.formatVersion !== PACKAGE_FORMAT_VERSION) {
    throw new PackageError(
      'FORMAT_UNSUPPORTED',
      // The manifest's format fields stay in details: they mean nothing to a clerk.
      '这个文件不是本系统的上报文件（可能是其他系统导出的压缩包）：请上报离线填报工具生成的文件',
      {
        format: json.format,
        formatVersion: json.formatVersion,
      },
    );
  }
  if (json.schemaVersion !== SCHEMA_VERSION) {
    throw new PackageError(
      'SCHEMA_VERSION_UNSUPPORTED',
      `上报文件的表单版本为“${String(json.schemaVersion)}”，本系统只接受“${SCHEMA_VERSION}”。请用最新的离线填报工具重新生成`,
      {
        schemaVersion: json.schemaVersion,
        supported: [SCHEMA_VERSION],
      },
    );
  }
  const generator = isPlainObject(json.generator) ? json.generator : {};
  requireStrings({
    createdAt: json.createdAt,
    fillerUnit: json.fillerUnit,
    'generator.name': generator.name,
    'generator.version': generator.version,
  });
  if (!Array.isArray(json.forms)) throw invalid('forms 应为列表');
  return {
    format: PACKAGE_FORMAT,
    formatVersion: PACKAGE_FORMAT_VERSION,
    schemaVersion: SCHEMA_VERSION,
    generator: { name: generator.name as string, version: generator.version as string },
    createdAt: json.createdAt as string,
    fillerUnit: json.fillerUnit as string,
    forms: json.forms.map(parseManifestForm),
  };
}

function parseJson(bytes: Uint8Array): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    // The parser's own (English) words stay in details: the message is for the clerk.
    throw new PackageError('MANIFEST_INVALID', '上报文件的清单 manifest.json 无法读取：不是有效的UTF-8 JSON', {
      reason: 'not UTF-8 JSON',
      error: error instanceof Error ? error.message : String(error),
    });
  }
  if (!isPlainObject(json)) throw invalid('应为JSON对象');
  return json;
}

function parseManifestForm(item: unknown, index: number): ManifestForm {
  if (!isPlainObject(item)) throw invalid(`forms[${index}] 应为JSON对象`);
  const { id, path, sha256, siteName } = item;
  if (typeof id !== 'string' || !isFormId(id)) throw invalid(`forms[${index}].id 应为UUID`);
  if (typeof path !== 'string' || path === '') throw invalid(`forms[${index}].path 应为包内文件名`);
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256))
    throw invalid(`forms[${index}].sha256 应为64位小写十六进制`);
  if (typeof siteName !== 'string') throw invalid(`forms[${index}].siteName 应为文字`);
  return { id: id.toLowerCase(), path, sha256, siteName };
}

/**
 * A manifest is machine-written: no text in it holds a control or bidi character, and it is
 * never deeply nested. Checked before any of it is echoed into a message or stored.
 */
function findUnsafeText(value: unknown, path: string, depth = 0): string | undefined {
  if (depth > 8) return `${path || '清单'} 嵌套过深`;
  if (typeof value === 'string') {
    const forbidden = forbiddenCharacter(value);
    return forbidden && `${path || '清单'} 含有不允许的${forbidden}`;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const forbidden = forbiddenCharacter(key);
    if (forbidden) return `${showForbiddenCharacters(at)} 含有不允许的${forbidden}`;
    const problem = findUnsafeText(item, at, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function requireStrings(values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== 'string' || value.trim() === '') throw invalid(`缺少 ${key}`);
  }
}

function invalid(reason: string): PackageError {
  return new PackageError('MANIFEST_INVALID', `上报文件的清单 manifest.json 无法读取：${reason}`, { reason });
}
