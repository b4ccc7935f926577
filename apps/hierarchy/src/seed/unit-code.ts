import { CORPS_CODE, ROOT_CODE } from './org-unit';
import { getDivisions, OUTSIDE_SYSTEM_PROVINCES } from './divisions';

/**
 * The three families of unit codes: 6-digit GB/T 2260 (local governments), `bm` + 4 digits
 * (State Council departments and their units) and province + `BM` + 2 digits (provincial
 * vertically managed departments), plus 兵团 `BT0000`. Used to check 新增节点申请 codes, so
 * the GB/T 2260 checks are structural: a code need not exist in the dataset yet.
 */
export type UnitCodeType =
  'root' | 'province' | 'corps' | 'department' | 'department-unit' | 'city' | 'county' | 'provincial-vertical';

export type UnitCodeClassification =
  { readonly valid: true; readonly type: UnitCodeType } | { readonly valid: false; readonly error: string };

export const UNIT_CODE_TYPE_LABELS: Readonly<Record<UnitCodeType, string>> = Object.freeze({
  root: '国务院办公厅',
  province: '省级行政区',
  corps: '新疆生产建设兵团',
  department: '国务院部门',
  'department-unit': '国务院部门所属单位',
  city: '地市级行政区',
  county: '区县级行政区',
  'provincial-vertical': '省级垂直管理部门',
});

export const UNIT_CODE_FORMAT_ERROR = '单位代码应为6位：行政区划代码、bm+4位数字或省代码+BM+2位数字';

const DEPARTMENT = /^bm(\d{2})(\d{2})$/;
const VERTICAL = /^(\d{2})BM(\d{2})$/;
const DIVISION = /^(\d{2})(\d{2})(\d{2})$/;
/** City digits of the groupings 省直辖县级行政区划 / 自治区直辖县级行政区划 (419000, 429000 …). */
const DIRECT_COUNTIES_DIGITS = '90';

const ok = (type: UnitCodeType): UnitCodeClassification => ({ valid: true, type });
const fail = (error: string): UnitCodeClassification => ({ valid: false, error });

function isProvincePrefix(digits: string): boolean {
  return getDivisions().provinces.some((p) => p.code.startsWith(digits));
}

function provinceError(digits: string): string {
  return OUTSIDE_SYSTEM_PROVINCES.has(digits)
    ? '台湾、香港、澳门不在本系统的组织单位范围内'
    : `省级代码“${digits}”不是省、自治区、直辖市的行政区划代码`;
}

/** A prefecture-shaped code that only groups counties: 110100 市辖区, 500200 县, 429000 … */
function isGrouping(cityCode: string): boolean {
  return cityCode.slice(2, 4) === DIRECT_COUNTIES_DIGITS || getDivisions().groupingCodes.has(cityCode);
}

function classifyDivision(province: string, city: string, county: string): UnitCodeClassification {
  if (!isProvincePrefix(province)) return fail(provinceError(province));
  if (city === '00') return county === '00' ? ok('province') : fail('区县级代码的第3–4位（地市）不能为00');
  const cityNumber = Number(city);
  if (city !== DIRECT_COUNTIES_DIGITS && cityNumber > 70) {
    return fail(`地市级代码“${city}”超出范围：应为01–70，或90（省直辖县级行政区划）`);
  }
  if (county !== '00') return ok('county');
  const code = `${province}${city}00`;
  return isGrouping(code) ? fail(`${code}是市辖区、县或省直辖县级行政区划的分组代码，不是单位代码`) : ok('city');
}

export function classifyUnitCode(code: string): UnitCodeClassification {
  if (typeof code !== 'string') return fail(UNIT_CODE_FORMAT_ERROR);
  if (code === CORPS_CODE) return ok('corps');
  const department = DEPARTMENT.exec(code);
  if (department) {
    const [, number, unit] = department;
    if (number === '00') return fail('国务院部门编号（bm后两位）不能为00');
    if (unit !== '00') return ok('department-unit');
    return code === ROOT_CODE ? ok('root') : ok('department');
  }
  const vertical = VERTICAL.exec(code);
  if (vertical) {
    const [, province, number] = vertical;
    if (!isProvincePrefix(province)) return fail(provinceError(province));
    return number === '00' ? fail('垂直管理部门编号（BM后两位）应为01–99') : ok('provincial-vertical');
  }
  const division = DIVISION.exec(code);
  if (division) return classifyDivision(division[1], division[2], division[3]);
  return fail(UNIT_CODE_FORMAT_ERROR);
}

export function isValidUnitCode(code: string): boolean {
  return classifyUnitCode(code).valid;
}

/**
 * The code of the unit a new unit with this code would hang under, where the code says it:
 * 130302 → 130300, 110105 → 110000 (a grouping has no unit), 37BM01 → 370000, bm2903 → bm2900,
 * bm2900 / 130000 / BT0000 → bm0100. Null for the root and for invalid codes.
 */
export function expectedParentCode(code: string): string | null {
  const result = classifyUnitCode(code);
  if (!result.valid) return null;
  switch (result.type) {
    case 'root':
      return null;
    case 'province':
    case 'corps':
    case 'department':
      return ROOT_CODE;
    case 'department-unit':
      return `${code.slice(0, 4)}00`;
    case 'provincial-vertical':
    case 'city':
      return `${code.slice(0, 2)}0000`;
    case 'county': {
      const cityCode = `${code.slice(0, 4)}00`;
      return isGrouping(cityCode) ? `${code.slice(0, 2)}0000` : cityCode;
    }
  }
}
