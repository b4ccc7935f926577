import { CHECK_CODE_ALPHABET, newCheckCode, siteCodeOf } from './site-codes';

describe('网站标识码 and 校验码', () => {
  it('builds the 标识码 from the owner code and a 4-digit sequence', () => {
    expect(siteCodeOf('130302', 1)).toBe('1303020001');
    expect(siteCodeOf('bm0100', 9999)).toBe('bm01009999');
    expect(() => siteCodeOf('130302', 0)).toThrow();
    expect(() => siteCodeOf('130302', 10000)).toThrow();
  });

  it('draws 校验码 of 6 characters from A–Z and 2–9 without O, I, L', () => {
    expect(CHECK_CODE_ALPHABET).toHaveLength(31);
    expect(CHECK_CODE_ALPHABET).not.toMatch(/[OIL01]/);
    const codes = Array.from({ length: 5000 }, () => newCheckCode());
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    // Every symbol turns up, none dominates: a broken generator would not pass this.
    const counts = new Map<string, number>();
    for (const char of codes.join('')) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(31);
    expect(Math.max(...counts.values())).toBeLessThan((30000 / 31) * 1.3);
    expect(new Set(codes).size).toBeGreaterThan(4990);
  });
});
