import { drawSample, sampleCount, sampleProblem } from './sample';

/** 40 sites of 秦皇岛市 (1303000001 …) and 20 of 海港区. */
const SITES = [
  ...Array.from({ length: 40 }, (_, i) => `130300${String(i + 1).padStart(4, '0')}`),
  ...Array.from({ length: 20 }, (_, i) => `130302${String(i + 1).padStart(4, '0')}`),
];

describe('the inspection sample (抽查)', () => {
  it('is reproducible from its seed, whatever order the sites come in', () => {
    const first = drawSample(SITES, { percent: 10 }, '2015-普查-河北');
    expect(first).toHaveLength(6);
    expect(drawSample([...SITES].reverse(), { percent: 10 }, '2015-普查-河北')).toEqual(first);
    expect(drawSample([...SITES, ...SITES], { percent: 10 }, '2015-普查-河北')).toEqual(first);
    expect(first).toEqual([...first].sort());
    for (const code of first) expect(SITES).toContain(code);
  });

  it('stays the same sample across releases (the algorithm is pinned)', () => {
    // SHA-256 of "<seed>\n<标识码>", lowest first: changing the algorithm changes past samples.
    expect(drawSample(SITES, { count: 3 }, 'seed-1')).toEqual(['1303020010', '1303020011', '1303020019']);
  });

  it('differs with another seed', () => {
    expect(drawSample(SITES, { count: 10 }, 'a')).not.toEqual(drawSample(SITES, { count: 10 }, 'b'));
  });

  it('keeps the sites already chosen when the population grows, unless a newcomer ranks lower', () => {
    const before = drawSample(SITES, { count: 5 }, 'grow');
    const after = drawSample([...SITES, '1303030001', '1303030002'], { count: 5 }, 'grow');
    const newcomers = after.filter((code) => !SITES.includes(code));
    expect(after).toHaveLength(5);
    for (const code of after.filter((c) => !newcomers.includes(c))) expect(before).toContain(code);
  });

  it('takes a percentage rounded up, a count capped at the population, nothing of nothing', () => {
    expect(sampleCount(60, { percent: 10 })).toBe(6);
    expect(sampleCount(30, { percent: 10 })).toBe(3);
    expect(sampleCount(31, { percent: 10 })).toBe(4);
    expect(sampleCount(5, { percent: 1 })).toBe(1);
    expect(sampleCount(60, { percent: 100 })).toBe(60);
    expect(sampleCount(60, { count: 100 })).toBe(60);
    expect(sampleCount(0, { count: 3 })).toBe(0);
    expect(drawSample(SITES, { count: 100 }, 'all')).toEqual([...SITES].sort());
    expect(drawSample([], { percent: 50 }, 'none')).toEqual([]);
  });

  it('refuses sizes and seeds it cannot use, in Chinese', () => {
    expect(sampleProblem({ percent: 0 }, 's')).toBe('抽查比例应大于0且不超过100（%）');
    expect(sampleProblem({ percent: 101 }, 's')).toBe('抽查比例应大于0且不超过100（%）');
    expect(sampleProblem({ count: 1.5 }, 's')).toBe('抽查数量应为不小于1的整数');
    expect(sampleProblem({ count: 0 }, 's')).toBe('抽查数量应为不小于1的整数');
    expect(sampleProblem({ count: 2 }, '')).toBe('随机种子应为1–64个字符');
    expect(() => drawSample(SITES, { count: 0 }, 's')).toThrow('抽查数量应为不小于1的整数');
  });
});
