// 生成上报文件: the package is built here in the browser by the same writer the CLI uses. A
// form with errors cannot go in: the page lists which forms and why, instead of a package.
import { FieldError, SiteForm, validateForm } from '@app/forms';
import { writePackage } from '@app/package';
import { GENERATOR } from '../generator';

export type GenerateOutcome =
  | { kind: 'package'; bytes: Uint8Array; fillerUnit: string; count: number }
  | { kind: 'invalid'; forms: { form: SiteForm; errors: FieldError[] }[] }
  | { kind: 'mixed-units'; units: string[] }
  | { kind: 'nothing' };

export async function generatePackage(selected: SiteForm[]): Promise<GenerateOutcome> {
  if (selected.length === 0) return { kind: 'nothing' };
  const invalid = selected
    .map((form) => ({ form, errors: validateForm(form).errors }))
    .filter((item) => item.errors.length > 0);
  if (invalid.length > 0) return { kind: 'invalid', forms: invalid };
  const units = [...new Set(selected.map((form) => form.site.fillerUnit.trim()))];
  if (units.length > 1) return { kind: 'mixed-units', units };
  const bytes = await writePackage(selected, { fillerUnit: units[0], generator: GENERATOR });
  return { kind: 'package', bytes, fillerUnit: units[0], count: selected.length };
}
