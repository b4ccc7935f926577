// The served JSON Schema must agree with validateForm on normalized documents: a generic
// JSON Schema validator (ajv) accepts what validateForm returns and refuses what it refuses.
import Ajv2020 from 'ajv/dist/2020';
import { createSampleForm } from './sample-form';
import { toJsonSchema } from './json-schema';
import { validateForm } from './validate/validate-form';

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', { validate: (value: string) => !Number.isNaN(Date.parse(value)) });
const check = ajv.compile(toJsonSchema());

describe('toJsonSchema', () => {
  it('carries the Chinese labels as titles', () => {
    const schema = toJsonSchema() as any;
    expect(schema.title).toBe('政府网站基本信息表');
    expect(schema.properties.principal.properties.mobile).toMatchObject({ title: '负责人手机', pattern: '^1\\d{10}$' });
    expect(schema.properties.site.properties.siteKind.oneOf).toEqual([
      { const: 'portal', title: '门户网站' },
      { const: 'department', title: '部门网站' },
    ]);
    expect(schema.properties.columns.maxItems).toBe(200);
  });

  it('accepts the normalized output of validateForm', () => {
    for (let n = 0; n < 20; n += 1) {
      const result = validateForm(createSampleForm(n, { columnCount: n % 5 }));
      expect(check(result.value)).toBe(true);
    }
  });

  it.each([
    ['principal', 'mobile', '1380013800'],
    ['principal', 'officePhone', '010-1234567;010-7654321'],
    ['contact', 'email', 'not-an-email'],
    ['site', 'homepageUrl', 'ftp://www.example.gov.cn'],
    ['site', 'redirectUrl', 'www.example.gov.cn'],
    ['site', 'icpNumber', 'ICP备123号'],
    ['site', 'psbNumber', '京公网安备123号'],
    ['site', 'siteKind', 'shop'],
    ['site', 'siteName', ''],
    ['site', 'siteName', '网'.repeat(101)],
  ])('refuses %s.%s = %s like validateForm does', (section, key, value) => {
    const form = createSampleForm(1) as any;
    form[section][key] = value;
    expect(validateForm(form).ok).toBe(false);
    expect(check(form)).toBe(false);
  });

  it('refuses unknown keys and the region column', () => {
    expect(check({ ...createSampleForm(1), region: '110000' })).toBe(false);
    const form = createSampleForm(1) as any;
    form.site.extra = 'x';
    expect(check(form)).toBe(false);
  });
});
