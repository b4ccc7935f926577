import {
  classifyUnitCode,
  expectedParentCode,
  isValidUnitCode,
  UNIT_CODE_FORMAT_ERROR,
  UnitCodeType,
} from './unit-code';

describe('classifyUnitCode — valid codes', () => {
  it.each<[string, UnitCodeType, string | null]>([
    ['bm0100', 'root', null],
    ['bm0700', 'department', 'bm0100'],
    ['bm2900', 'department', 'bm0100'],
    ['bm8600', 'department', 'bm0100'],
    ['bm2903', 'department-unit', 'bm2900'],
    ['bm0101', 'department-unit', 'bm0100'],
    ['BT0000', 'corps', 'bm0100'],
    ['110000', 'province', 'bm0100'],
    ['650000', 'province', 'bm0100'],
    ['37BM01', 'provincial-vertical', '370000'],
    ['11BM99', 'provincial-vertical', '110000'],
    ['130300', 'city', '130000'],
    ['222400', 'city', '220000'],
    ['152900', 'city', '150000'],
    ['134500', 'city', '130000'],
    ['130302', 'county', '130300'],
    ['630103', 'county', '630100'],
    ['440114', 'county', '440100'],
    ['110105', 'county', '110000'],
    ['500229', 'county', '500000'],
    ['429004', 'county', '420000'],
    ['469030', 'county', '460000'],
    ['419099', 'county', '410000'],
    ['130171', 'county', '130100'],
  ])('%s is %s under %s', (code, type, parent) => {
    expect(classifyUnitCode(code)).toEqual({ valid: true, type });
    expect(isValidUnitCode(code)).toBe(true);
    expect(expectedParentCode(code)).toBe(parent);
  });
});

describe('classifyUnitCode — invalid codes', () => {
  it.each<[string, string]>([
    ['', UNIT_CODE_FORMAT_ERROR],
    ['11000', UNIT_CODE_FORMAT_ERROR],
    ['1100000', UNIT_CODE_FORMAT_ERROR],
    [' 110000', UNIT_CODE_FORMAT_ERROR],
    ['11000a', UNIT_CODE_FORMAT_ERROR],
    ['BM0700', UNIT_CODE_FORMAT_ERROR],
    ['bm070', UNIT_CODE_FORMAT_ERROR],
    ['bm07000', UNIT_CODE_FORMAT_ERROR],
    ['37bm01', UNIT_CODE_FORMAT_ERROR],
    ['BT0001', UNIT_CODE_FORMAT_ERROR],
    ['bt0000', UNIT_CODE_FORMAT_ERROR],
    ['bm0000', '国务院部门编号（bm后两位）不能为00'],
    ['bm0012', '国务院部门编号（bm后两位）不能为00'],
    ['37BM00', '垂直管理部门编号（BM后两位）应为01–99'],
    ['99BM01', '省级代码“99”不是省、自治区、直辖市的行政区划代码'],
    ['000000', '省级代码“00”不是省、自治区、直辖市的行政区划代码'],
    ['100000', '省级代码“10”不是省、自治区、直辖市的行政区划代码'],
    ['160000', '省级代码“16”不是省、自治区、直辖市的行政区划代码'],
    ['660000', '省级代码“66”不是省、自治区、直辖市的行政区划代码'],
    ['710000', '台湾、香港、澳门不在本系统的组织单位范围内'],
    ['810100', '台湾、香港、澳门不在本系统的组织单位范围内'],
    ['820001', '台湾、香港、澳门不在本系统的组织单位范围内'],
    ['130001', '区县级代码的第3–4位（地市）不能为00'],
    ['137100', '地市级代码“71”超出范围：应为01–70，或90（省直辖县级行政区划）'],
    ['138901', '地市级代码“89”超出范围：应为01–70，或90（省直辖县级行政区划）'],
    ['110100', '110100是市辖区、县或省直辖县级行政区划的分组代码，不是单位代码'],
    ['500200', '500200是市辖区、县或省直辖县级行政区划的分组代码，不是单位代码'],
    ['429000', '429000是市辖区、县或省直辖县级行政区划的分组代码，不是单位代码'],
    ['139000', '139000是市辖区、县或省直辖县级行政区划的分组代码，不是单位代码'],
  ])('%j is refused: %s', (code, error) => {
    expect(classifyUnitCode(code)).toEqual({ valid: false, error });
    expect(isValidUnitCode(code)).toBe(false);
    expect(expectedParentCode(code)).toBeNull();
  });

  it('refuses a non-string without throwing', () => {
    expect(classifyUnitCode(42 as unknown as string)).toEqual({ valid: false, error: UNIT_CODE_FORMAT_ERROR });
    expect(isValidUnitCode(undefined as unknown as string)).toBe(false);
  });
});
