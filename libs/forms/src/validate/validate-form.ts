// validateForm: the one validator used by the server, the console, the offline client and
// the CLI. It reports EVERY error (not the first) so a user can fix a form in one pass, and
// returns the normalized form only when there are none.
import { FieldDef, SectionDef } from '../schema/field';
import {
  columnFieldLabel,
  COLUMN_FIELDS,
  COLUMNS_LABEL,
  fieldLabel,
  MAX_COLUMNS,
  SECTIONS,
} from '../schema/definition';
import { ColumnInfo, FieldError, SiteForm, ValidationResult } from '../schema/types';
import { checkField } from './check-field';
import { checkEnvelope } from './envelope';
import { showForbiddenCharacters } from '../text-safety';

const TOP_LEVEL_KEYS = new Set(['id', 'type', 'schemaVersion', 'updatedAt', 'site', 'principal', 'contact', 'columns']);

type Fields = Record<string, string>;

export function validateForm(input: unknown): ValidationResult {
  const errors: FieldError[] = [];
  if (!isPlainObject(input)) {
    return { ok: false, value: undefined, errors: [{ field: '', label: '表单', message: '表单应为JSON对象（{…}）' }] };
  }
  checkTopLevelKeys(input, errors);
  const envelope = checkEnvelope(input, errors);
  const sections: Record<string, Fields> = {};
  for (const section of SECTIONS) sections[section.key] = checkSection(section, input[section.key], errors);
  const columns = checkColumns(input.columns, errors);
  if (errors.length > 0) return { ok: false, value: undefined, errors };
  const value = {
    ...envelope,
    site: sections.site,
    principal: sections.principal,
    contact: sections.contact,
    columns,
  } as unknown as SiteForm;
  return { ok: true, value, errors: [] };
}

function checkTopLevelKeys(input: Record<string, unknown>, errors: FieldError[]): void {
  for (const key of Object.keys(input)) {
    if (TOP_LEVEL_KEYS.has(key)) continue;
    if (key === 'region') {
      errors.push({
        field: 'region',
        label: '地区/部门',
        message: '地区/部门由导入的单位设置，表单中不能填写，请删除',
      });
    } else {
      errors.push(unknownKey(key, key));
    }
  }
}

function checkSection(section: SectionDef, raw: unknown, errors: FieldError[]): Fields {
  if (!isPlainObject(raw)) {
    errors.push({
      field: section.key,
      label: section.label,
      message: `缺少${section.label}，或${section.label}不是JSON对象`,
    });
    return {};
  }
  return checkFields(section.fields, raw, section.key, (def) => fieldLabel(section, def), errors);
}

function checkColumns(raw: unknown, errors: FieldError[]): ColumnInfo[] {
  if (!Array.isArray(raw)) {
    errors.push({
      field: 'columns',
      label: COLUMNS_LABEL,
      message: `${COLUMNS_LABEL}应为列表（没有栏目时为空列表 []）`,
    });
    return [];
  }
  if (raw.length > MAX_COLUMNS) {
    errors.push({
      field: 'columns',
      label: COLUMNS_LABEL,
      message: `栏目（系统）最多${MAX_COLUMNS}个，现有${raw.length}个`,
    });
  }
  return raw.map((item: unknown, index) => {
    const path = `columns[${index}]`;
    if (!isPlainObject(item)) {
      errors.push({ field: path, label: `第${index + 1}个栏目`, message: `第${index + 1}个栏目应为JSON对象（{…}）` });
      return {} as ColumnInfo;
    }
    return checkFields(
      COLUMN_FIELDS,
      item,
      path,
      (def) => columnFieldLabel(index, def),
      errors,
    ) as unknown as ColumnInfo;
  });
}

/** Each field list's keys, as a set: made once per list, not once per form. */
const KEYS = new WeakMap<readonly FieldDef[], ReadonlySet<string>>();
function keysOf(defs: readonly FieldDef[]): ReadonlySet<string> {
  let keys = KEYS.get(defs);
  if (!keys) KEYS.set(defs, (keys = new Set(defs.map((def) => def.key))));
  return keys;
}

function checkFields(
  defs: readonly FieldDef[],
  raw: Record<string, unknown>,
  path: string,
  labelOf: (def: FieldDef) => string,
  errors: FieldError[],
): Fields {
  const known = keysOf(defs);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) errors.push(unknownKey(`${path}.${key}`, key));
  }
  const values: Fields = {};
  for (const def of defs) {
    const result = checkField(def, () => labelOf(def), raw[def.key]);
    if (result.message !== undefined)
      errors.push({ field: `${path}.${def.key}`, label: labelOf(def), message: result.message });
    else values[def.key] = result.value;
  }
  return values;
}

function unknownKey(field: string, key: string): FieldError {
  // The key is echoed back: a NUL in it would make the report itself unstorable.
  const shown = showForbiddenCharacters(key);
  return { field: showForbiddenCharacters(field), label: shown, message: `表单中有不认识的字段“${shown}”，请删除` };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
