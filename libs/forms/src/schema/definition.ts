// THE definition of 政府网站基本信息表 (docs/DOMAIN.md, The form). The validator, the JSON Schema served to
// clients, the Excel template and the offline client's editor are all derived from it.
import { EnumOption, field, FieldDef, SectionDef } from './field';

export const FORM_TYPE = 'site-basic-info';
export const SCHEMA_VERSION = '2015.1';
export const FORM_TITLE = '政府网站基本信息表';
export const MAX_COLUMNS = 200;

export const SITE_KIND_OPTIONS: readonly EnumOption[] = [
  { value: 'portal', label: '门户网站' },
  { value: 'department', label: '部门网站' },
];

export const LAYER_OPTIONS: readonly EnumOption[] = [
  { value: 'own-portal', label: '本级门户' },
  { value: 'own-department', label: '本级部门' },
  { value: 'subordinate', label: '下属单位' },
];

export const SITE_STATUS_OPTIONS: readonly EnumOption[] = [
  { value: 'normal', label: '正常' },
  { value: 'exception', label: '例外' },
  { value: 'closing', label: '申请关停' },
];

export const COLUMN_CATEGORY_OPTIONS: readonly EnumOption[] = [
  { value: 'information', label: '信息公开' },
  { value: 'interaction', label: '互动交流' },
  { value: 'service', label: '办事服务' },
];

export const SITE_SECTION: SectionDef = {
  key: 'site',
  label: '网站信息',
  labelPrefix: '',
  fields: [
    field('siteName', '网站名称', 'text', true, { maxLength: 100, example: '某某市人民政府门户网站' }),
    field('homepageUrl', '首页网址', 'url', true, { example: 'http://www.example.gov.cn' }),
    field('redirectUrl', '跳转网址', 'url', false, { example: 'https://www.example.gov.cn/index.html' }),
    field('siteKind', '网站类型', 'enum', true, { options: SITE_KIND_OPTIONS }),
    field('layer', '网站类别', 'enum', true, { options: LAYER_OPTIONS }),
    field('sponsorUnit', '主办单位', 'text', true),
    field('operatorUnit', '运维单位', 'text', false),
    field('officeAddress', '办公地址', 'text', true, { maxLength: 200 }),
    field('icpNumber', 'ICP备案号', 'icp', false, { example: '京ICP备05070218号' }),
    field('psbNumber', '公安机关备案号', 'psb', false, { example: '京公网安备11010502030143号' }),
    field('siteStatus', '运行状态', 'enum', true, { options: SITE_STATUS_OPTIONS }),
    field('fillerUnit', '填报单位', 'text', true),
  ],
};

const PERSON_NAME = { maxLength: 50 };

export const PRINCIPAL_SECTION: SectionDef = {
  key: 'principal',
  label: '负责人',
  labelPrefix: '负责人',
  fields: [
    field('name', '姓名', 'text', true, PERSON_NAME),
    field('title', '职务', 'text', true, { maxLength: 50 }),
    field('officePhone', '办公电话', 'phone', true, { example: '010-62345678' }),
    field('mobile', '手机', 'mobile', true, { example: '13800138000' }),
    field('email', '电子邮箱', 'email', true, { example: 'name@example.gov.cn' }),
  ],
};

export const CONTACT_SECTION: SectionDef = {
  key: 'contact',
  label: '联系人',
  labelPrefix: '联系人',
  fields: [
    field('name', '姓名', 'text', true, PERSON_NAME),
    field('officePhone', '办公电话', 'phone', true, { example: '010-62345678' }),
    field('mobile', '手机', 'mobile', true, { example: '13800138000' }),
    field('email', '电子邮箱', 'email', true, { example: 'name@example.gov.cn' }),
  ],
};

/** One 栏目（系统）; a form holds 0–200 of them under `columns`. */
export const COLUMN_FIELDS: readonly FieldDef[] = [
  field('name', '栏目名称', 'text', true),
  field('url', '栏目地址', 'url', true, { example: 'http://www.example.gov.cn/zwgk/' }),
  field('category', '类别', 'enum', true, { options: COLUMN_CATEGORY_OPTIONS }),
];

export const COLUMNS_LABEL = '栏目（系统）信息';

/** The object sections of the form, in display order. `columns` follows them. */
export const SECTIONS: readonly SectionDef[] = [SITE_SECTION, PRINCIPAL_SECTION, CONTACT_SECTION];

/** The document fields around the content: every form file carries them. */
export const ENVELOPE_LABELS = {
  id: '表单编号',
  type: '表单类型',
  schemaVersion: '表单版本',
  updatedAt: '修改时间',
} as const;

/** The label that names one field of one section on its own (负责人手机). */
export function fieldLabel(section: SectionDef, def: FieldDef): string {
  return `${section.labelPrefix}${def.label}`;
}

/** The label that names a field of the n-th (0-based) 栏目: 第3个栏目的栏目地址. */
export function columnFieldLabel(index: number, def: FieldDef): string {
  return `第${index + 1}个栏目的${def.label}`;
}
