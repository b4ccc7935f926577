// A valid, realistic-looking form: the CLI's `sample` command (test data for the support
// desk and load tests) and the test suites use it.
import { toIsoWithOffset } from './blank-form';
import { FORM_TYPE, SCHEMA_VERSION } from './schema/definition';
import { SiteForm } from './schema/types';
import { newFormId } from './form-id';

const CITIES = ['北京市', '天津市', '石家庄市', '太原市', '沈阳市', '长春市', '南京市', '杭州市', '合肥市', '福州市'];
const DEPARTMENTS = [
  '人民政府',
  '发展和改革委员会',
  '教育局',
  '民政局',
  '财政局',
  '生态环境局',
  '交通运输局',
  '农业农村局',
];
const CATEGORIES = ['information', 'interaction', 'service'] as const;

/** The n-th sample form (n ≥ 0): distinct site name and host per n, `columnCount` 栏目. */
export function createSampleForm(
  n: number,
  options: { fillerUnit?: string; columnCount?: number; id?: string } = {},
): SiteForm {
  const city = CITIES[n % CITIES.length];
  const department = DEPARTMENTS[Math.floor(n / CITIES.length) % DEPARTMENTS.length];
  const host = `www.site${n}.example.gov.cn`;
  const digits = String(10_000_000 + n).slice(-8);
  const portal = department === '人民政府';
  return {
    id: options.id ?? newFormId(),
    type: FORM_TYPE,
    schemaVersion: SCHEMA_VERSION,
    updatedAt: toIsoWithOffset(new Date()),
    site: {
      siteName: `${city}${department}网站（样例${n + 1}）`,
      homepageUrl: `http://${host}`,
      redirectUrl: '',
      siteKind: portal ? 'portal' : 'department',
      layer: portal ? 'own-portal' : 'own-department',
      sponsorUnit: `${city}${department}`,
      operatorUnit: `${city}大数据中心`,
      officeAddress: `${city}人民路${n + 1}号`,
      icpNumber: `京ICP备${digits}号`,
      psbNumber: `京公网安备110105${digits}号`,
      siteStatus: 'normal',
      fillerUnit: options.fillerUnit ?? `${city}${department}`,
    },
    principal: {
      name: '张伟',
      title: '主任',
      officePhone: `010-6${digits.slice(1)}`,
      mobile: `138${digits}`,
      email: `zhangwei${n}@example.gov.cn`,
    },
    contact: {
      name: '李娜',
      officePhone: `010-8${digits.slice(1)}-101`,
      mobile: `139${digits}`,
      email: `lina${n}@example.gov.cn`,
    },
    columns: Array.from({ length: options.columnCount ?? 3 }, (_, i) => ({
      name: ['政务公开', '政民互动', '办事服务'][i % 3] + (i >= 3 ? String(i + 1) : ''),
      url: `http://${host}/col${i + 1}/`,
      category: CATEGORIES[i % 3],
    })),
  };
}
