/**
 * The State Council departments seeded at level 1, in the order of the current 国务院组织机构
 * listing (after the 2023 reform), and the two-digit department numbers they carry.
 *
 * `legacy` is the department's position in the 2013–2018 listing (国务院办公厅 = 01, then the
 * 组成部门, 直属特设机构, 直属机构, 办事机构, 直属事业单位, 部委管理的国家局), i.e. the
 * numbering the 2015 census used: every department code seen in public (FACTS.md and published
 * site footers) equals that position. A department that succeeded a listed one keeps its number
 * (as 药监局 kept 35 and 文化和旅游部 kept 23). Departments with no `legacy` number did not
 * exist in that listing and get numbers from FIRST_NEW_DEPARTMENT_NUMBER on, in this order.
 * SOURCES.md gives the full table with the evidence for each number.
 */
export type DepartmentCategory =
  '组成部门' | '直属特设机构' | '直属机构' | '办事机构' | '加挂牌子' | '直属事业单位' | '部委管理的国家局';

export interface DepartmentEntry {
  readonly name: string;
  readonly category: DepartmentCategory;
  /** Position in the 2013–2018 listing; absent for departments created after it. */
  readonly legacy?: number;
  /** Name in the 2013–2018 listing when the department has since been renamed or merged. */
  readonly legacyName?: string;
}

export const FIRST_NEW_DEPARTMENT_NUMBER = 76;

export const DEPARTMENTS: readonly DepartmentEntry[] = [
  { name: '外交部', category: '组成部门', legacy: 2 },
  { name: '国防部', category: '组成部门', legacy: 3 },
  { name: '国家发展和改革委员会', category: '组成部门', legacy: 4 },
  { name: '教育部', category: '组成部门', legacy: 5 },
  { name: '科学技术部', category: '组成部门', legacy: 6 },
  { name: '工业和信息化部', category: '组成部门', legacy: 7 },
  { name: '国家民族事务委员会', category: '组成部门', legacy: 8 },
  { name: '公安部', category: '组成部门', legacy: 9 },
  { name: '国家安全部', category: '组成部门', legacy: 10 },
  { name: '民政部', category: '组成部门', legacy: 12 },
  { name: '司法部', category: '组成部门', legacy: 13 },
  { name: '财政部', category: '组成部门', legacy: 14 },
  { name: '人力资源和社会保障部', category: '组成部门', legacy: 15 },
  { name: '自然资源部', category: '组成部门', legacy: 16, legacyName: '国土资源部' },
  { name: '生态环境部', category: '组成部门', legacy: 17, legacyName: '环境保护部' },
  { name: '住房和城乡建设部', category: '组成部门', legacy: 18 },
  { name: '交通运输部', category: '组成部门', legacy: 19 },
  { name: '水利部', category: '组成部门', legacy: 20 },
  { name: '农业农村部', category: '组成部门', legacy: 21, legacyName: '农业部' },
  { name: '商务部', category: '组成部门', legacy: 22 },
  { name: '文化和旅游部', category: '组成部门', legacy: 23, legacyName: '文化部' },
  { name: '国家卫生健康委员会', category: '组成部门', legacy: 24, legacyName: '国家卫生和计划生育委员会' },
  { name: '退役军人事务部', category: '组成部门' },
  { name: '应急管理部', category: '组成部门', legacy: 34, legacyName: '国家安全生产监督管理总局' },
  { name: '中国人民银行', category: '组成部门', legacy: 25 },
  { name: '审计署', category: '组成部门', legacy: 26 },
  { name: '国务院国有资产监督管理委员会', category: '直属特设机构', legacy: 27 },
  { name: '海关总署', category: '直属机构', legacy: 28 },
  { name: '国家税务总局', category: '直属机构', legacy: 29 },
  { name: '国家市场监督管理总局', category: '直属机构', legacy: 30, legacyName: '国家工商行政管理总局' },
  { name: '国家金融监督管理总局', category: '直属机构', legacy: 55, legacyName: '中国银行业监督管理委员会' },
  { name: '中国证券监督管理委员会', category: '直属机构', legacy: 56 },
  { name: '国家广播电视总局', category: '直属机构', legacy: 32, legacyName: '国家新闻出版广电总局' },
  { name: '国家体育总局', category: '直属机构', legacy: 33 },
  { name: '国家信访局', category: '直属机构', legacy: 60 },
  { name: '国家统计局', category: '直属机构', legacy: 36 },
  { name: '国家知识产权局', category: '直属机构', legacy: 38 },
  { name: '国家国际发展合作署', category: '直属机构' },
  { name: '国家医疗保障局', category: '直属机构' },
  { name: '国务院参事室', category: '直属机构', legacy: 41 },
  { name: '国家机关事务管理局', category: '直属机构', legacy: 42, legacyName: '国务院机关事务管理局' },
  { name: '国务院研究室', category: '办事机构', legacy: 46 },
  { name: '国务院侨务办公室', category: '加挂牌子', legacy: 43 },
  { name: '国务院港澳事务办公室', category: '加挂牌子', legacy: 44 },
  { name: '国务院台湾事务办公室', category: '加挂牌子' },
  { name: '国务院新闻办公室', category: '加挂牌子' },
  { name: '国家互联网信息办公室', category: '加挂牌子' },
  { name: '新华通讯社', category: '直属事业单位', legacy: 47 },
  { name: '中国科学院', category: '直属事业单位', legacy: 48 },
  { name: '中国社会科学院', category: '直属事业单位', legacy: 49 },
  { name: '中国工程院', category: '直属事业单位', legacy: 50 },
  { name: '国务院发展研究中心', category: '直属事业单位', legacy: 51 },
  { name: '中央广播电视总台', category: '直属事业单位' },
  { name: '中国气象局', category: '直属事业单位', legacy: 54 },
  { name: '国家粮食和物资储备局', category: '部委管理的国家局', legacy: 61, legacyName: '国家粮食局' },
  { name: '国家能源局', category: '部委管理的国家局', legacy: 62 },
  { name: '国家数据局', category: '部委管理的国家局' },
  { name: '国家国防科技工业局', category: '部委管理的国家局', legacy: 63 },
  { name: '国家烟草专卖局', category: '部委管理的国家局', legacy: 64 },
  { name: '国家移民管理局', category: '部委管理的国家局' },
  { name: '国家林业和草原局', category: '部委管理的国家局', legacy: 37, legacyName: '国家林业局' },
  { name: '国家铁路局', category: '部委管理的国家局', legacy: 69 },
  { name: '中国民用航空局', category: '部委管理的国家局', legacy: 70 },
  { name: '国家邮政局', category: '部委管理的国家局', legacy: 71 },
  { name: '国家文物局', category: '部委管理的国家局', legacy: 72 },
  { name: '国家中医药管理局', category: '部委管理的国家局', legacy: 73 },
  { name: '国家疾病预防控制局', category: '部委管理的国家局' },
  { name: '国家矿山安全监察局', category: '部委管理的国家局', legacy: 75, legacyName: '国家煤矿安全监察局' },
  { name: '国家消防救援局', category: '部委管理的国家局' },
  { name: '国家外汇管理局', category: '部委管理的国家局', legacy: 74 },
  { name: '国家药品监督管理局', category: '部委管理的国家局', legacy: 35, legacyName: '国家食品药品监督管理总局' },
];

/**
 * Numbers of the 2013–2018 listing that no current department inherits. They are never given
 * to another department, so a 2015-era 网站标识码 can never point at the wrong unit.
 */
export const RETIRED_DEPARTMENT_NUMBERS: Readonly<Record<number, string>> = Object.freeze({
  11: '监察部',
  31: '国家质量监督检验检疫总局',
  39: '国家旅游局',
  40: '国家宗教事务局',
  45: '国务院法制办公室',
  52: '国家行政学院',
  53: '中国地震局',
  57: '中国保险监督管理委员会',
  58: '全国社会保障基金理事会',
  59: '国家自然科学基金委员会',
  65: '国家外国专家局',
  66: '国家公务员局',
  67: '国家海洋局',
  68: '国家测绘地理信息局',
});

/** Codes that are public facts (FACTS.md) or were read off published site footers. */
export const PUBLIC_DEPARTMENT_NUMBERS: ReadonlySet<number> = new Set([1, 7, 18, 29, 35, 36]);
export const OBSERVED_DEPARTMENT_NUMBERS: ReadonlySet<number> = new Set([13, 17, 23, 25, 55, 63]);
