import { beijingDayStart, DAY_MS, homepageIntervalMs, nextDailySlot, nextHomepageSlot, stableHash } from './schedule';

/** 2026-12-02 00:00 Beijing. */
const DAY = Date.parse('2026-12-02T00:00:00+08:00');

/** Every homepage slot of `code` within the Beijing day starting at `dayStart`. */
function slotsOfDay(code: string, perDay: number, dayStart: number): number[] {
  const slots: number[] = [];
  for (
    let t = nextHomepageSlot(code, perDay, dayStart - 1);
    t < dayStart + DAY_MS;
    t = nextHomepageSlot(code, perDay, t)
  )
    slots.push(t);
  return slots;
}

describe('monitoring schedule', () => {
  it('pins the hash (slots must not move between releases)', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('1303020001')).toBe(1653316453); // FNV-1a, computed independently
    expect(stableHash('1303020001')).not.toBe(stableHash('1303020002'));
  });

  it('finds the Beijing day', () => {
    expect(beijingDayStart(Date.parse('2026-12-01T16:00:00Z'))).toBe(DAY);
    expect(beijingDayStart(Date.parse('2026-12-02T15:59:59Z'))).toBe(DAY);
    expect(beijingDayStart(Date.parse('2026-12-02T16:00:00Z'))).toBe(DAY + DAY_MS);
  });

  it.each([1, 7, 20, 24, 96, 1440])('visits a homepage exactly %i times a Beijing day, evenly', (perDay) => {
    for (const code of ['1303020001', 'bm01000001', '11BM010009']) {
      const slots = slotsOfDay(code, perDay, DAY);
      expect(slots).toHaveLength(perDay);
      const interval = homepageIntervalMs(perDay);
      for (let i = 1; i < slots.length; i++) expect(slots[i] - slots[i - 1]).toBe(interval);
      expect(slots[0] - DAY).toBe(stableHash(code) % interval);
      // The same slots the next day.
      expect(slotsOfDay(code, perDay, DAY + DAY_MS)).toEqual(slots.map((t) => t + DAY_MS));
    }
  });

  it('spreads sites over the interval instead of all at the top of the hour', () => {
    const offsets = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const code = `130302${String(i).padStart(4, '0')}`;
      offsets.add(Math.floor((nextHomepageSlot(code, 24, DAY - 1) - DAY) / 60_000)); // minute of the first hour
    }
    expect(offsets.size).toBeGreaterThan(55); // 1000 sites over 60 minutes
  });

  it('gives the slot strictly after a time, also from inside the day and across midnight', () => {
    const code = '1303020001';
    const first = nextHomepageSlot(code, 24, DAY - 1);
    expect(nextHomepageSlot(code, 24, first - 1)).toBe(first);
    expect(nextHomepageSlot(code, 24, first)).toBe(first + 3_600_000);
    const last = first + 23 * 3_600_000;
    expect(nextHomepageSlot(code, 24, last)).toBe(first + DAY_MS);
  });

  it('checks a daily task once a day at a hashed time', () => {
    const key = '1303020001\nCOLUMN\nhttp://www.a.gov.cn/tzgg/';
    const slot = nextDailySlot(key, DAY - 1);
    expect(slot - DAY).toBe(stableHash(key) % DAY_MS);
    expect(nextDailySlot(key, slot)).toBe(slot + DAY_MS);
    expect(nextDailySlot(key, slot - 1)).toBe(slot);
  });
});
