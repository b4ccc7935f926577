/**
 * Publish dates as Chinese government sites print them: `2015-03-12`, `2015/03/12`,
 * `2015.03.12`, `2015年3月12日`, and in lists the month and day alone, `[03-12]` or `03-12`.
 * Dates are calendar days in Beijing time (UTC+8), as `YYYY-MM-DD`.
 */

/** Years before this are not publish dates of a website (a founding year, a law's date). */
export const MIN_PLAUSIBLE_YEAR = 1995;

const BEIJING_OFFSET_MS = 8 * 3600_000;

const FULL_NUMERIC = /(?<![\d.\-/])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])/g;
const FULL_CHINESE = /(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;
/** Month-day: two digits each, not part of a longer date, number or time. */
const MONTH_DAY = /(?<![\d\-/.:年])(\d{2})-(\d{2})(?![\d\-/.:])/g;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The Beijing calendar day of an instant, as `YYYY-MM-DD`. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Every publish date in `text` that is a real calendar day, not after the fetch day (Beijing
 * time) and not before MIN_PLAUSIBLE_YEAR; distinct, newest first. A month-day without a year is
 * taken in the most recent year that does not put it after the fetch day. The rest of a line
 * starting "今天是" (today's date in a site's header) is ignored.
 */
export function findPublishDates(pageText: string, fetchedAt: Date): string[] {
  // "今天是2015年3月12日": the day's date many sites print in their header, not a publish date.
  const text = pageText.replace(/(今天是|今日是|今天：|今天:)[^\n]*/g, '');
  const today = beijingDay(fetchedAt);
  const thisYear = Number(today.slice(0, 4));
  const found = new Set<string>();
  const add = (year: number, month: number, day: number): void => {
    if (year < MIN_PLAUSIBLE_YEAR || !isCalendarDay(year, month, day)) return;
    const date = `${year}-${pad(month)}-${pad(day)}`;
    if (date <= today) found.add(date);
  };
  for (const m of text.matchAll(FULL_NUMERIC)) add(Number(m[1]), Number(m[3]), Number(m[4]));
  for (const m of text.matchAll(FULL_CHINESE)) add(Number(m[1]), Number(m[2]), Number(m[3]));
  for (const m of text.matchAll(MONTH_DAY)) {
    const month = Number(m[1]);
    const day = Number(m[2]);
    // This year unless that is after today; then last year (02-29 may need the leap year before).
    for (let year = thisYear; year >= thisYear - 4; year--) {
      if (!isCalendarDay(year, month, day)) continue;
      if (`${year}-${pad(month)}-${pad(day)}` > today) continue;
      add(year, month, day);
      break;
    }
  }
  return [...found].sort().reverse();
}
