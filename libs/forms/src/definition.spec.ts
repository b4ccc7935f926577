import { createBlankForm } from './blank-form';
import { COLUMN_FIELDS, SECTIONS } from './schema/definition';
import { columnTemplateColumns, templateColumns } from './template-columns';

describe('the form definition', () => {
  it('has exactly the keys of the form in docs/DOMAIN.md, in order', () => {
    const keys = Object.fromEntries(SECTIONS.map((section) => [section.key, section.fields.map((def) => def.key)]));
    expect(keys).toEqual({
      site: [
        'siteName',
        'homepageUrl',
        'redirectUrl',
        'siteKind',
        'layer',
        'sponsorUnit',
        'operatorUnit',
        'officeAddress',
        'icpNumber',
        'psbNumber',
        'siteStatus',
        'fillerUnit',
      ],
      principal: ['name', 'title', 'officePhone', 'mobile', 'email'],
      contact: ['name', 'officePhone', 'mobile', 'email'],
    });
    expect(COLUMN_FIELDS.map((def) => def.key)).toEqual(['name', 'url', 'category']);
  });

  it('makes blank forms with every key and a fresh id', () => {
    const a = createBlankForm();
    const b = createBlankForm();
    expect(a.id).not.toBe(b.id);
    expect(Object.keys(a.principal)).toEqual(['name', 'title', 'officePhone', 'mobile', 'email']);
    expect(a.columns).toEqual([]);
    expect(a.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });

  it('derives the Excel columns with unique Chinese headers', () => {
    const headers = templateColumns().map((column) => column.header);
    expect(headers.slice(0, 3)).toEqual(['表单编号', '网站名称', '首页网址']);
    expect(headers).toContain('负责人手机');
    expect(headers).toContain('联系人电子邮箱');
    expect(new Set(headers).size).toBe(headers.length);
    expect(headers).toHaveLength(1 + 12 + 5 + 4);
    expect(columnTemplateColumns().map((column) => column.header)).toEqual([
      '表单编号',
      '网站名称',
      '栏目名称',
      '栏目地址',
      '类别',
    ]);
  });
});
