import { ValidationOptions, ValidateBy } from 'class-validator';

/** The years a date filter may name: PostgreSQL has no year 0000, and nothing here predates 2000. */
export const DATE_FILTER_YEARS = { min: 2000, max: 2100 } as const;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * A date (2026-05-01) or date-time (2026-05-01T08:00:00+08:00) that is a real calendar day
 * within DATE_FILTER_YEARS. class-validator's IsDateString also passes 0000-01-01, 2026-02-30
 * and week dates (2026-W01), which PostgreSQL refuses — a 500 instead of a 400.
 */
export function isDateTimeInRange(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  if (!match || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < DATE_FILTER_YEARS.min || year > DATE_FILTER_YEARS.max) return false;
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

/** Decorator for isDateTimeInRange; the message names the field and the allowed years. */
export function IsDateTimeInRange(field: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTimeInRange',
      validator: { validate: isDateTimeInRange },
    },
    {
      message: `${field} 应为 ${DATE_FILTER_YEARS.min} 至 ${DATE_FILTER_YEARS.max} 年间的日期或日期时间，如 2026-05-01 或 2026-05-01T00:00:00+08:00`,
      ...options,
    },
  );
}

/** 2026-05-01 08:30:00, in Beijing time (UTC+8, no daylight saving): how exported workbooks print times. */
export function beijingTime(iso: string): string {
  const local = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}
