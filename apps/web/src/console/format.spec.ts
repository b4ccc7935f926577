import { beijingTime, fileSize } from './format';

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

describe('fileSize', () => {
  it('uses readable units', () => {
    expect(fileSize(512)).toBe('512 字节');
    expect(fileSize(2048)).toBe('2.0 KB');
    expect(fileSize(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
