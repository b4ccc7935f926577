// A new, empty form: what 新建网站信息表 starts from. It has its id from birth.
import { COLUMN_FIELDS, FORM_TYPE, SCHEMA_VERSION, SECTIONS } from './schema/definition';
import { ColumnInfo, SiteForm } from './schema/types';
import { newFormId } from './form-id';

export function createBlankForm(now: Date = new Date()): SiteForm {
  const form: Record<string, unknown> = {
    id: newFormId(),
    type: FORM_TYPE,
    schemaVersion: SCHEMA_VERSION,
    updatedAt: toIsoWithOffset(now),
    columns: [],
  };
  for (const section of SECTIONS) form[section.key] = Object.fromEntries(section.fields.map((def) => [def.key, '']));
  return form as unknown as SiteForm;
}

export function createBlankColumn(): ColumnInfo {
  return Object.fromEntries(COLUMN_FIELDS.map((def) => [def.key, ''])) as unknown as ColumnInfo;
}

/** ISO 8601 with the local UTC offset (2026-05-01T10:00:00+08:00), as docs/PACKAGE-FORMAT.md shows it. */
export function toIsoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? '+' : '-';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}
