import type { PresetTreeName } from '@app/platform';
import { assignDepartmentCodes } from './departments';
import { getDivisions } from './divisions';
import { CORPS_CODE, CORPS_NAME, PresetUnit, ROOT_CODE, ROOT_NAME } from './org-unit';

/**
 * The national tree seeded on first start: 国务院办公厅; the 31 provinces, 兵团 and the State
 * Council departments; prefecture-level units; county-level units. Counties of a municipality
 * or of a 省直辖县级行政区划 grouping hang directly under the province (level 2, kind county).
 * Order: by level, then provinces / 兵团 / departments, then by code — parents always first.
 */
let cached: readonly PresetUnit[] | undefined;
let cachedSample: readonly PresetUnit[] | undefined;

/**
 * The sample tree: real units with their real codes, names and places, shaped like the national
 * tree — the root; 河北省 with 石家庄市 (three of its districts) and 秦皇岛市 (all its
 * county-level units); 北京市 with a district directly under it (a county at level 2); 山西省
 * without units below; 兵团; one State Council department. For demos, training and tests.
 */
export const SAMPLE_TREE_CODES: readonly string[] = Object.freeze([
  ROOT_CODE,
  '110000', // 北京市
  '110101', // 东城区
  '130000', // 河北省
  '130100', // 石家庄市
  '130102', // 长安区
  '130104', // 桥西区
  '130105', // 新华区
  '130300', // 秦皇岛市
  '130302', // 海港区
  '130303', // 山海关区
  '130304', // 北戴河区
  '130306', // 抚宁区
  '130321', // 青龙满族自治县
  '130322', // 昌黎县
  '130324', // 卢龙县
  '140000', // 山西省
  CORPS_CODE,
  'bm0700', // 工业和信息化部
]);

/**
 * The national tree, or the sample (setting PRESET_TREE). Built once per process (it is called
 * at boot); the result and its units are frozen.
 */
export function buildPresetTree(name: PresetTreeName = 'national'): readonly PresetUnit[] {
  cached ??= Object.freeze(assemble().map((unit) => Object.freeze(unit)));
  if (name === 'national') return cached;
  cachedSample ??= Object.freeze(sampleOf(cached));
  return cachedSample;
}

/** The sample's units as the national tree has them, in the national order (parents first). */
function sampleOf(national: readonly PresetUnit[]): PresetUnit[] {
  const wanted = new Set(SAMPLE_TREE_CODES);
  const units = national.filter((unit) => wanted.has(unit.code));
  if (units.length !== wanted.size) {
    const found = new Set(units.map((unit) => unit.code));
    throw new Error(
      `Sample tree: ${[...wanted].filter((code) => !found.has(code)).join(', ')} not in the national tree`,
    );
  }
  assertConsistent(units);
  return units;
}

function assemble(): PresetUnit[] {
  const { provinces, cities, counties } = getDivisions();
  const units: PresetUnit[] = [{ code: ROOT_CODE, name: ROOT_NAME, level: 0, parentCode: null, kind: 'root' }];

  for (const p of provinces)
    units.push({ code: p.code, name: p.name, level: 1, parentCode: ROOT_CODE, kind: 'province' });
  units.push({ code: CORPS_CODE, name: CORPS_NAME, level: 1, parentCode: ROOT_CODE, kind: 'corps' });
  for (const d of assignDepartmentCodes()) {
    units.push({ code: d.code, name: d.name, level: 1, parentCode: ROOT_CODE, kind: 'department' });
  }

  const secondLevel: PresetUnit[] = cities.map((c) => ({
    code: c.code,
    name: c.name,
    level: 2,
    parentCode: c.provinceCode,
    kind: 'city',
  }));
  const thirdLevel: PresetUnit[] = [];
  const provinceCodes = new Set(provinces.map((p) => p.code));
  for (const c of counties) {
    const directlyUnderProvince = provinceCodes.has(c.parentCode);
    const unit: PresetUnit = {
      code: c.code,
      name: c.name,
      level: directlyUnderProvince ? 2 : 3,
      parentCode: c.parentCode,
      kind: 'county',
    };
    (directlyUnderProvince ? secondLevel : thirdLevel).push(unit);
  }
  secondLevel.sort((a, b) => (a.code < b.code ? -1 : 1));

  units.push(...secondLevel, ...thirdLevel);
  assertConsistent(units);
  return units;
}

/** The dataset is external: refuse to seed a tree with a duplicate code or a missing parent. */
function assertConsistent(units: readonly PresetUnit[]): void {
  const seen = new Map<string, PresetUnit>();
  for (const unit of units) {
    if (seen.has(unit.code)) throw new Error(`Preset tree: duplicate unit code ${unit.code} (${unit.name})`);
    const parent = unit.parentCode === null ? null : seen.get(unit.parentCode);
    if (unit.parentCode !== null && (!parent || parent.level !== unit.level - 1)) {
      throw new Error(
        `Preset tree: ${unit.code} (${unit.name}) has no parent ${unit.parentCode} one level up before it`,
      );
    }
    seen.set(unit.code, unit);
  }
}
