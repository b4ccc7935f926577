// Reads forms from what support staff have at hand: a JSON file (a list of forms, {forms: […]}
// or the offline client's 导出数据 file) or a filled Excel template.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { FieldError, isPlainObject, newFormId, validateForm } from '@app/forms';
import { InvalidForm, readTemplate, TemplateCellError } from '@app/package';
import { UsageError } from './print';

export interface LoadedForms {
  /** As read; not yet validated. */
  forms: unknown[];
  /** Every problem of an Excel file, by cell (validation included); empty for JSON. */
  cellErrors: TemplateCellError[];
}

export async function loadForms(path: string, options: { assignIds?: boolean } = {}): Promise<LoadedForms> {
  const bytes = readBytes(path);
  const type = extname(path).toLowerCase();
  // .xls (Excel 97–2003) too; readTemplate tells the formats apart by their bytes.
  if (type === '.xlsx' || type === '.xls' || type === '.et') {
    const result = await readTemplate(bytes);
    return { forms: result.forms.map((item) => item.form), cellErrors: result.errors };
  }
  if (type !== '.json') throw new UsageError(`不认识的文件类型“${type || path}”：请给出 .json、.xlsx 或 .xls 文件`);
  const forms = formsOfJson(parseJson(bytes, path));
  if (options.assignIds)
    for (const form of forms) if (isPlainObject(form) && !form.id) Object.assign(form, { id: newFormId() });
  return { forms, cellErrors: [] };
}

export function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    throw new UsageError(`无法读取文件“${path}”`);
  }
}

/** Validates every form; returns the invalid ones, each with all its errors. */
export function invalidForms(forms: unknown[]): InvalidForm[] {
  return forms.flatMap((form, index) => {
    const { errors } = validateForm(form);
    if (errors.length === 0) return [];
    const record = isPlainObject(form) ? form : {};
    const site = isPlainObject(record.site) ? record.site : {};
    return [
      { index, formId: String(record.id ?? ''), siteName: String(site.siteName ?? ''), errors: errors as FieldError[] },
    ];
  });
}

function parseJson(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`“${path}”不是有效的JSON：${error instanceof Error ? error.message : String(error)}`);
  }
}

function formsOfJson(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  if (isPlainObject(json) && Array.isArray(json.forms)) return json.forms;
  throw new UsageError('JSON文件应为表单列表 […]，或带 forms 列表的对象 {"forms": […]}');
}
