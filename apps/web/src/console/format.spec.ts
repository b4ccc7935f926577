import { beijingDay, beijingTime, fileSize, parseDay } from './format';

describe('beijingTime', () => {
  it('shows Beijing time whatever the machine time zone', () => {
    expect(beijingTime('2026-11-26T19:12:00Z')).toBe('2026-11-27 03:12');
    expect(beijingTime('2026-05-01T08:00:00+08:00')).toBe('2026-05-01 08:00');
    // Just after midnight: 00:05, never 24:05.
    expect(beijingTime('2026-11-30T16:05:00Z')).toBe('2026-12-01 00:05');
  });

  it('shows a dash for nothing or nonsense', () => {
    expect(beijingTime(null)).toBe('—');
    expect(beijingTime('not a date')).toBe('—');
  });
});

describe('beijingDay', () => {
  it('is the Beijing calendar day, offset by whole days', () => {
    const justAfterMidnightInBeijing = Date.parse('2026-11-30T16:05:00Z');
    expect(beijingDay(0, justAfterMidnightInBeijing)).toBe('2026-12-01');
    expect(beijingDay(-6, justAfterMidnightInBeijing)).toBe('2026-11-25');
  });
});

describe('parseDay', () => {
  it('takes the console’s format and what clerks type out of habit, giving 2026-12-01', () => {
    for (const typed of [
      '2026-12-01',
      ' 2026-12-1 ',
      '2026/12/01',
      '2026/12/1',
      '2026.12.1',
      '2026年12月1日',
      '20261201',
    ])
      expect(parseDay(typed)).toBe('2026-12-01');
    expect(parseDay('2028-02-29')).toBe('2028-02-29');
  });

  it('refuses a browser’s locale format and days that do not exist, rather than guessing', () => {
    for (const typed of ['11/26/2026', '26.11.2026', '2026-13-01', '2026-02-30', '2027-02-29', '2026-12', '', '明天'])
      expect(parseDay(typed)).toBeNull();
  });
});

describe('fileSize', () => {
  it('uses readable units', () => {
    expect(fileSize(512)).toBe('512 字节');
    expect(fileSize(2048)).toBe('2.0 KB');
    expect(fileSize(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
