// The document fields every form file carries around its content.
import { ENVELOPE_LABELS, FORM_TYPE, SCHEMA_VERSION } from '../schema/definition';
import { FieldError } from '../schema/types';
import { isFormId } from '../form-id';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export interface Envelope {
  id: string;
  type: typeof FORM_TYPE;
  schemaVersion: string;
  updatedAt: string;
}

export function checkEnvelope(input: Record<string, unknown>, errors: FieldError[]): Envelope {
  const { id, type, schemaVersion, updatedAt } = input;
  const fail = (field: keyof typeof ENVELOPE_LABELS, message: string) =>
    errors.push({ field, label: ENVELOPE_LABELS[field], message });
  if (typeof id !== 'string' || !isFormId(id))
    fail('id', '表单编号应为UUID，如 3f2c7a4e-5b1d-4c8e-9a6f-0d2e4b6c8a1f（新建表单时自动生成，请勿修改）');
  if (type !== FORM_TYPE) fail('type', '这不是政府网站基本信息表：请用离线填报工具重新生成');
  if (schemaVersion !== SCHEMA_VERSION)
    fail('schemaVersion', `表单版本应为 ${SCHEMA_VERSION}，请用最新的离线填报工具重新生成`);
  if (typeof updatedAt !== 'string' || !ISO_DATE_TIME.test(updatedAt) || !isPlausibleTime(updatedAt)) {
    fail('updatedAt', '修改时间应为ISO 8601格式的时间，如 2026-05-01T10:00:00+08:00');
  }
  return {
    id: typeof id === 'string' ? id.toLowerCase() : '',
    type: FORM_TYPE,
    schemaVersion: SCHEMA_VERSION,
    updatedAt: String(updatedAt),
  };
}

/**
 * A real calendar date (no 2026-02-30, which Date.parse rolls over) in years 1970–9999:
 * PostgreSQL has no year 0000, and no form was filled before 1970.
 */
function isPlausibleTime(text: string): boolean {
  if (Number.isNaN(Date.parse(text))) return false;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1970 &&
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day
  );
}
