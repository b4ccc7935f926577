import { assignDepartmentCodes, departmentCode } from './departments';
import { DEPARTMENTS, FIRST_NEW_DEPARTMENT_NUMBER, RETIRED_DEPARTMENT_NUMBERS } from './departments.data';

const departments = assignDepartmentCodes();
const codeOf = (name: string): string | undefined => departments.find((d) => d.name === name)?.code;
const numberOf = (code: string): number => Number(code.slice(2, 4));

describe('State Council departments', () => {
  it('are 71, with unique names and codes, none of them the root', () => {
    expect(departments).toHaveLength(71);
    expect(new Set(departments.map((d) => d.name)).size).toBe(71);
    expect(new Set(departments.map((d) => d.code)).size).toBe(71);
    expect(departments.some((d) => d.code === 'bm0100')).toBe(false);
  });

  it.each([
    ['工业和信息化部', 'bm0700', 'public'],
    ['住房和城乡建设部', 'bm1800', 'public'],
    ['国家税务总局', 'bm2900', 'public'],
    ['国家药品监督管理局', 'bm3500', 'public'],
    ['国家统计局', 'bm3600', 'public'],
    ['司法部', 'bm1300', 'observed'],
    ['生态环境部', 'bm1700', 'observed'],
    ['文化和旅游部', 'bm2300', 'observed'],
    ['中国人民银行', 'bm2500', 'observed'],
    ['国家金融监督管理总局', 'bm5500', 'observed'],
    ['国家国防科技工业局', 'bm6300', 'observed'],
    ['外交部', 'bm0200', 'legacy-order'],
    ['国务院国有资产监督管理委员会', 'bm2700', 'legacy-order'],
    ['国家外汇管理局', 'bm7400', 'legacy-order'],
    ['退役军人事务部', 'bm7600', 'assigned'],
    ['国家消防救援局', 'bm8600', 'assigned'],
  ])('%s is %s (%s)', (name, code, source) => {
    expect(departments.find((d) => d.name === name)).toMatchObject({ code, source });
  });

  it('counts per category as on the current listing', () => {
    const perCategory: Record<string, number> = {};
    for (const d of departments) perCategory[d.category] = (perCategory[d.category] ?? 0) + 1;
    expect(perCategory).toEqual({
      组成部门: 26,
      直属特设机构: 1,
      直属机构: 14,
      办事机构: 1,
      加挂牌子: 5,
      直属事业单位: 7,
      部委管理的国家局: 17,
    });
  });

  it('never hands out a retired number, and together with them covers 01–75 of the old listing', () => {
    const used = new Set(departments.map((d) => numberOf(d.code)));
    const retired = Object.keys(RETIRED_DEPARTMENT_NUMBERS).map(Number);
    expect(retired.filter((n) => used.has(n))).toEqual([]);
    const legacy = departments.map((d) => numberOf(d.code)).filter((n) => n < FIRST_NEW_DEPARTMENT_NUMBER);
    expect([1, ...legacy, ...retired].sort((a, b) => a - b)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
  });

  it('numbers new departments from 76 on in list order', () => {
    const assigned = departments.filter((d) => d.source === 'assigned');
    expect(assigned.map((d) => d.code)).toEqual(
      Array.from({ length: assigned.length }, (_, i) => departmentCode(76 + i)),
    );
    expect(codeOf('国务院台湾事务办公室')).toBe('bm7900');
  });

  it('refuses a list that gives one number twice or uses a retired one', () => {
    const twice = [...DEPARTMENTS, { name: '重复部门', category: '直属机构' as const, legacy: 7 }];
    expect(() => assignDepartmentCodes(twice)).toThrow(/already taken/);
    const retired = [{ name: '旧部门', category: '直属机构' as const, legacy: 11 }];
    expect(() => assignDepartmentCodes(retired)).toThrow(/already taken or retired/);
    expect(() => assignDepartmentCodes([{ name: '越界', category: '直属机构', legacy: 100 }])).toThrow(/outside/);
  });

  it('runs out loudly instead of producing a 3-digit number', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `新部门${i}`, category: '直属机构' as const }));
    expect(() => assignDepartmentCodes(many)).toThrow(/No department number left/);
  });

  it('formats bm + two digits + 00', () => {
    expect(departmentCode(7)).toBe('bm0700');
    expect(departmentCode(86)).toBe('bm8600');
  });
});
