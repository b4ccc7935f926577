// writePackage: forms → the .zip a 填报单位 reports (docs/PACKAGE-FORMAT.md). Only valid
// forms go in: the writer validates every one and refuses the lot, naming each invalid
// form and every error, so the client never produces a package import would refuse.
import JSZip from 'jszip';
import { SCHEMA_VERSION, SiteForm, toIsoWithOffset, validateForm } from '@app/forms';
import { PackageError } from './errors';
import { formEntryPath, MANIFEST_PATH, README_PATH } from './entry-names';
import { resolveLimits, PackageLimits } from './limits';
import { Manifest, ManifestForm, PACKAGE_FORMAT, PACKAGE_FORMAT_VERSION } from './manifest';
import { sha256Hex } from './sha256';
import { invalidFormsError, InvalidForm } from './invalid-forms';
import { readmeText } from './readme';

export interface WritePackageOptions {
  /** 填报单位: who files this package. */
  fillerUnit: string;
  /** What made the package, e.g. {name: '离线填报工具', version: '1.0.0'}. */
  generator: { name: string; version: string };
  limits?: Partial<PackageLimits>;
  /** Defaults to now. */
  createdAt?: Date;
}

export async function writePackage(forms: readonly unknown[], options: WritePackageOptions): Promise<Uint8Array> {
  const fillerUnit = options.fillerUnit.trim();
  if (!fillerUnit) throw new PackageError('FILLER_UNIT_MISSING', '请填写填报单位后再生成上报文件');
  const limits = resolveLimits(options.limits);
  if (forms.length > limits.maxForms) {
    throw new PackageError(
      'TOO_MANY_FORMS',
      `一个上报文件最多${limits.maxForms}张表，现有${forms.length}张，请分成几个文件`,
      { count: forms.length, limit: limits.maxForms },
    );
  }
  const valid = validateAll(forms);
  const createdAt = options.createdAt ?? new Date();
  const zip = new JSZip();
  const entries: ManifestForm[] = [];
  for (const form of valid) {
    const path = formEntryPath(form.id, form.site.siteName);
    const bytes = new TextEncoder().encode(`${JSON.stringify(form, null, 2)}\n`);
    entries.push({ id: form.id, path, sha256: sha256Hex(bytes), siteName: form.site.siteName });
    zip.file(path, bytes, { createFolders: false, date: createdAt });
  }
  const manifest: Manifest = {
    format: PACKAGE_FORMAT,
    formatVersion: PACKAGE_FORMAT_VERSION,
    schemaVersion: SCHEMA_VERSION,
    generator: options.generator,
    createdAt: toIsoWithOffset(createdAt),
    fillerUnit,
    forms: entries,
  };
  zip.file(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`, { createFolders: false, date: createdAt });
  zip.file(README_PATH, readmeText(manifest), { createFolders: false, date: createdAt });
  // JSZip sets the UTF-8 language-encoding flag (general-purpose bit 11) on every entry whose
  // name is not plain ASCII; the spec checks it in the bytes.
  return zip.generateAsync({
    type: 'uint8array',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
    platform: 'DOS',
  });
}

function validateAll(forms: readonly unknown[]): SiteForm[] {
  const valid: SiteForm[] = [];
  const invalid: InvalidForm[] = [];
  const seen = new Map<string, number>();
  forms.forEach((form, index) => {
    const result = validateForm(form);
    if (result.ok) {
      const earlier = seen.get(result.value.id);
      if (earlier !== undefined) {
        throw new PackageError(
          'DUPLICATE_FORM_ID',
          `第${earlier + 1}张和第${index + 1}张表的表单编号相同（${result.value.id}）：一个网站只能有一张表`,
          {
            formId: result.value.id,
            indexes: [earlier, index],
          },
        );
      }
      seen.set(result.value.id, index);
      valid.push(result.value);
    } else {
      invalid.push({ index, ...identify(form), errors: result.errors });
    }
  });
  if (invalid.length > 0) throw invalidFormsError(invalid);
  return valid;
}

function identify(form: unknown): { formId: string; siteName: string } {
  const record = (typeof form === 'object' && form !== null ? form : {}) as {
    id?: unknown;
    site?: { siteName?: unknown };
  };
  return {
    formId: typeof record.id === 'string' ? record.id : '',
    siteName: typeof record.site?.siteName === 'string' ? record.site.siteName.trim() : '',
  };
}
