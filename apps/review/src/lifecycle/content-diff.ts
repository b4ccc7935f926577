import { FieldChange } from '@app/contracts';
import { COLUMN_FIELDS, columnFieldLabel, FieldDef, fieldLabel, SECTIONS } from '@app/forms';

/** A stored value as users read it: an option's label, a list joined, empty as ''. */
function shown(def: FieldDef, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => shown(def, item)).join('、');
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return def.options?.find((option) => option.value === text)?.label ?? text;
}

function section(content: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = content[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function columns(content: Record<string, unknown>): Array<Record<string, unknown>> {
  const value = content.columns;
  return Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [];
}

/**
 * The fields a requested form changes against the current one, in the form's order: every
 * field of 网站信息, 负责人 and 联系人, then the 栏目 one by one (a 栏目 added or removed shows
 * each of its fields from or to empty). Envelope fields (表单编号, 修改时间) are not content.
 */
export function contentDiff(current: Record<string, unknown>, requested: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const def of SECTIONS) {
    const before = section(current, def.key);
    const after = section(requested, def.key);
    for (const field of def.fields) {
      const a = shown(field, before[field.key]);
      const b = shown(field, after[field.key]);
      if (a !== b)
        changes.push({ path: `${def.key}.${field.key}`, label: fieldLabel(def, field), before: a, after: b });
    }
  }
  const was = columns(current);
  const now = columns(requested);
  for (let index = 0; index < Math.max(was.length, now.length); index++)
    for (const field of COLUMN_FIELDS) {
      const a = shown(field, was[index]?.[field.key]);
      const b = shown(field, now[index]?.[field.key]);
      if (a !== b)
        changes.push({
          path: `columns[${index}].${field.key}`,
          label: columnFieldLabel(index, field),
          before: a,
          after: b,
        });
    }
  return changes;
}
