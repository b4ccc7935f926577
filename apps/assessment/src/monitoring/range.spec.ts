import { parseRange } from './monitoring.service';

/** 2026-12-02 01:00 Beijing (still 12-01 in UTC). */
const NOW = Date.parse('2026-12-01T17:00:00Z');

describe('monitoring range (from/to)', () => {
  it.each<[string | undefined, string | undefined, { from: string; to: string }]>([
    [undefined, undefined, { from: '2026-11-26', to: '2026-12-02' }],
    ['', '', { from: '2026-11-26', to: '2026-12-02' }],
    [undefined, '2026-03-10', { from: '2026-03-04', to: '2026-03-10' }],
    ['2026-01-01', '2026-01-01', { from: '2026-01-01', to: '2026-01-01' }],
    ['2024-01-01', '2024-12-31', { from: '2024-01-01', to: '2024-12-31' }], // 366 days (leap year)
  ])('from %s to %s', (from, to, expected) => {
    expect(parseRange(from, to, NOW)).toEqual(expected);
  });

  it.each<[string | undefined, string | undefined, string]>([
    ['2026-02-30', undefined, '开始日期应为有效日期，格式为 YYYY-MM-DD'],
    ['2026/01/01', undefined, '开始日期应为有效日期，格式为 YYYY-MM-DD'],
    [undefined, 'yesterday', '结束日期应为有效日期，格式为 YYYY-MM-DD'],
    ['2026-03-02', '2026-03-01', '开始日期不能晚于结束日期'],
    ['2025-01-01', '2026-01-02', '查询范围不能超过366天'],
  ])('refuses from %s to %s', (from, to, message) => {
    expect(() => parseRange(from, to, NOW)).toThrow(message);
    try {
      parseRange(from, to, NOW);
    } catch (err) {
      expect((err as { code: string }).code).toBe('VALIDATION_FAILED');
    }
  });
});
