// Every field rule of docs/DOMAIN.md, one row per case: put `value` at `path` in a valid form and
// expect either the normalized value or the exact error.
import { createSampleForm } from '../sample-form';
import { validateForm } from './validate-form';

type Valid = { path: string; value: unknown; normalized: string };
type Invalid = { path: string; value: unknown; label: string; message: string };

function withValue(path: string, value: unknown): Record<string, unknown> {
  const form = JSON.parse(JSON.stringify(createSampleForm(0))) as Record<string, any>;
  const [section, key] = path.split('.');
  const match = /^columns\[(\d+)\]$/.exec(section);
  const target = match ? form.columns[Number(match[1])] : form[section];
  if (value === undefined) delete target[key];
  else target[key] = value;
  return form;
}

function read(form: Record<string, any>, path: string): unknown {
  const [section, key] = path.split('.');
  const match = /^columns\[(\d+)\]$/.exec(section);
  return (match ? form.columns[Number(match[1])] : form[section])[key];
}

const valid: Valid[] = [
  { path: 'principal.officePhone', value: '010-62345678', normalized: '010-62345678' },
  { path: 'principal.officePhone', value: '0311-1234567', normalized: '0311-1234567' },
  { path: 'principal.officePhone', value: '010-62345678-123456', normalized: '010-62345678-123456' },
  { path: 'principal.officePhone', value: '０１０－６２３４５６７８', normalized: '010-62345678' },
  { path: 'contact.officePhone', value: ' 0755-12345678-8 ', normalized: '0755-12345678-8' },
  { path: 'principal.mobile', value: '13800138000', normalized: '13800138000' },
  { path: 'principal.mobile', value: '１３８００１３８０００', normalized: '13800138000' },
  { path: 'contact.email', value: 'li.na+gov@mail.example.gov.cn', normalized: 'li.na+gov@mail.example.gov.cn' },
  { path: 'contact.email', value: 'ｌｉｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ', normalized: 'lina@example.com' },
  { path: 'site.homepageUrl', value: 'https://www.beijing.gov.cn', normalized: 'https://www.beijing.gov.cn' },
  {
    path: 'site.homepageUrl',
    value: 'http://www.example.gov.cn:8080/index.html?a=1#top',
    normalized: 'http://www.example.gov.cn:8080/index.html?a=1#top',
  },
  { path: 'site.homepageUrl', value: 'http://北京.政务', normalized: 'http://北京.政务' },
  { path: 'site.redirectUrl', value: '', normalized: '' },
  { path: 'site.redirectUrl', value: undefined, normalized: '' },
  { path: 'site.icpNumber', value: '京ICP备05070218号', normalized: '京ICP备05070218号' },
  { path: 'site.icpNumber', value: '粤ICP备2021012345号-3', normalized: '粤ICP备2021012345号-3' },
  { path: 'site.icpNumber', value: '京ＩＣＰ备05070218号－1', normalized: '京ICP备05070218号-1' },
  { path: 'site.icpNumber', value: '', normalized: '' },
  { path: 'site.psbNumber', value: '京公网安备11010502030143号', normalized: '京公网安备11010502030143号' },
  { path: 'site.psbNumber', value: '', normalized: '' },
  { path: 'site.siteName', value: '  某某市人民政府门户网站 ', normalized: '某某市人民政府门户网站' },
  { path: 'site.siteName', value: '网'.repeat(100), normalized: '网'.repeat(100) },
  { path: 'site.sponsorUnit', value: '某某局（某某办）', normalized: '某某局（某某办）' },
  { path: 'site.operatorUnit', value: '', normalized: '' },
  { path: 'site.siteKind', value: 'department', normalized: 'department' },
  { path: 'site.layer', value: 'subordinate', normalized: 'subordinate' },
  { path: 'site.siteStatus', value: 'closing', normalized: 'closing' },
  { path: 'columns[0].category', value: 'service', normalized: 'service' },
  { path: 'columns[1].url', value: 'https://www.example.gov.cn/hd/', normalized: 'https://www.example.gov.cn/hd/' },
];

const invalid: Invalid[] = [
  { path: 'principal.mobile', value: '1380013800', label: '负责人手机', message: '手机号应为11位数字' },
  { path: 'principal.mobile', value: '23800138000', label: '负责人手机', message: '手机号应为11位数字' },
  { path: 'principal.mobile', value: '138-0013-8000', label: '负责人手机', message: '手机号应为11位数字' },
  {
    path: 'contact.mobile',
    value: '13800138000；13900139000',
    label: '联系人手机',
    message: '联系人手机只能填写一个手机号，不能填写多个',
  },
  { path: 'principal.mobile', value: 13800138000, label: '负责人手机', message: '负责人手机应为文字' },
  { path: 'principal.mobile', value: '', label: '负责人手机', message: '请填写负责人手机' },
  { path: 'principal.mobile', value: undefined, label: '负责人手机', message: '请填写负责人手机' },
  {
    path: 'principal.officePhone',
    value: '62345678',
    label: '负责人办公电话',
    message: '负责人办公电话应为“区号-号码”，可带“-分机”，如 010-62345678',
  },
  {
    path: 'principal.officePhone',
    value: '010 62345678',
    label: '负责人办公电话',
    message: '负责人办公电话应为“区号-号码”，可带“-分机”，如 010-62345678',
  },
  {
    path: 'principal.officePhone',
    value: '010-123456',
    label: '负责人办公电话',
    message: '负责人办公电话应为“区号-号码”，可带“-分机”，如 010-62345678',
  },
  {
    path: 'principal.officePhone',
    value: '010-62345678-1234567',
    label: '负责人办公电话',
    message: '负责人办公电话应为“区号-号码”，可带“-分机”，如 010-62345678',
  },
  {
    path: 'principal.officePhone',
    value: '010-1234567；010-7654321',
    label: '负责人办公电话',
    message: '负责人办公电话只能填写一个电话号码，不能填写多个',
  },
  {
    path: 'contact.officePhone',
    value: '010-1234567,010-7654321',
    label: '联系人办公电话',
    message: '联系人办公电话只能填写一个电话号码，不能填写多个',
  },
  {
    path: 'contact.officePhone',
    value: '010-1234567、010-7654321',
    label: '联系人办公电话',
    message: '联系人办公电话只能填写一个电话号码，不能填写多个',
  },
  {
    path: 'contact.officePhone',
    value: '010-1234567/010-7654321',
    label: '联系人办公电话',
    message: '联系人办公电话只能填写一个电话号码，不能填写多个',
  },
  {
    path: 'contact.officePhone',
    value: '010-1234567 010-7654321',
    label: '联系人办公电话',
    message: '联系人办公电话只能填写一个电话号码，不能填写多个',
  },
  {
    path: 'principal.email',
    value: 'a@example.gov.cn;b@example.gov.cn',
    label: '负责人电子邮箱',
    message: '负责人电子邮箱只能填写一个电子邮箱，不能填写多个',
  },
  {
    path: 'principal.email',
    value: 'a@example.gov.cn，b@example.gov.cn',
    label: '负责人电子邮箱',
    message: '负责人电子邮箱只能填写一个电子邮箱，不能填写多个',
  },
  {
    path: 'principal.email',
    value: 'zhangwei.example.gov.cn',
    label: '负责人电子邮箱',
    message: '负责人电子邮箱应为一个电子邮箱地址，如 name@example.gov.cn',
  },
  {
    path: 'contact.email',
    value: 'lina@localhost',
    label: '联系人电子邮箱',
    message: '联系人电子邮箱应为一个电子邮箱地址，如 name@example.gov.cn',
  },
  {
    path: 'contact.email',
    value: 'li na@example.gov.cn',
    label: '联系人电子邮箱',
    message: '联系人电子邮箱应为一个电子邮箱地址，如 name@example.gov.cn',
  },
  {
    path: 'site.homepageUrl',
    value: 'www.example.gov.cn',
    label: '首页网址',
    message: '首页网址应为以 http:// 或 https:// 开头的网址，如 http://www.example.gov.cn',
  },
  {
    path: 'site.homepageUrl',
    value: 'ftp://www.example.gov.cn',
    label: '首页网址',
    message: '首页网址应为以 http:// 或 https:// 开头的网址，如 http://www.example.gov.cn',
  },
  {
    path: 'site.homepageUrl',
    value: 'javascript:alert(1)',
    label: '首页网址',
    message: '首页网址应为以 http:// 或 https:// 开头的网址，如 http://www.example.gov.cn',
  },
  {
    path: 'site.homepageUrl',
    value: 'http://localhost',
    label: '首页网址',
    message: '首页网址应为以 http:// 或 https:// 开头的网址，如 http://www.example.gov.cn',
  },
  {
    path: 'site.homepageUrl',
    value: 'http://a.gov.cn http://b.gov.cn',
    label: '首页网址',
    message: '首页网址只能填写一个网址，不能填写多个',
  },
  { path: 'site.homepageUrl', value: '', label: '首页网址', message: '请填写首页网址' },
  {
    path: 'site.redirectUrl',
    value: 'example',
    label: '跳转网址',
    message: '跳转网址应为以 http:// 或 https:// 开头的网址，如 http://www.example.gov.cn',
  },
  {
    path: 'columns[2].url',
    value: 'www.example.gov.cn/bs/',
    label: '第3个栏目的栏目地址',
    message: '第3个栏目的栏目地址应为以 http:// 或 https:// 开头的网址，如 http://www.example.gov.cn',
  },
  { path: 'columns[0].name', value: ' ', label: '第1个栏目的栏目名称', message: '请填写第1个栏目的栏目名称' },
  {
    path: 'columns[1].category',
    value: '互动交流',
    label: '第2个栏目的类别',
    message: '第2个栏目的类别应为以下之一：信息公开、互动交流、办事服务',
  },
  {
    path: 'site.icpNumber',
    value: 'ICP备05070218号',
    label: 'ICP备案号',
    message: 'ICP备案号应如 京ICP备05070218号（省份简称+ICP备+6至10位数字+号，可带“-1”这样的后缀）',
  },
  {
    path: 'site.icpNumber',
    value: '京ICP证030173号',
    label: 'ICP备案号',
    message: 'ICP备案号应如 京ICP备05070218号（省份简称+ICP备+6至10位数字+号，可带“-1”这样的后缀）',
  },
  {
    path: 'site.icpNumber',
    value: '京ICP备05070218号；京ICP备05070219号',
    label: 'ICP备案号',
    message: 'ICP备案号只能填写一个ICP备案号，不能填写多个',
  },
  {
    path: 'site.psbNumber',
    value: '京公网安备1101050203014号',
    label: '公安机关备案号',
    message: '公安机关备案号应如 京公网安备11010502030143号（省份简称+公网安备+14位数字+号）',
  },
  {
    path: 'site.psbNumber',
    value: '公网安备11010502030143号',
    label: '公安机关备案号',
    message: '公安机关备案号应如 京公网安备11010502030143号（省份简称+公网安备+14位数字+号）',
  },
  { path: 'site.siteName', value: '', label: '网站名称', message: '请填写网站名称' },
  { path: 'site.siteName', value: '　', label: '网站名称', message: '请填写网站名称' },
  {
    path: 'site.siteName',
    value: '网'.repeat(101),
    label: '网站名称',
    message: '网站名称不能超过100个字（现有101个）',
  },
  {
    path: 'site.siteKind',
    value: '门户网站',
    label: '网站类型',
    message: '网站类型应为以下之一：门户网站、部门网站',
  },
  { path: 'site.layer', value: '', label: '网站类别', message: '请填写网站类别' },
  {
    path: 'site.siteStatus',
    value: 'closed',
    label: '运行状态',
    message: '运行状态应为以下之一：正常、例外、申请关停',
  },
  { path: 'site.sponsorUnit', value: '', label: '主办单位', message: '请填写主办单位' },
  {
    path: 'site.officeAddress',
    value: '址'.repeat(201),
    label: '办公地址',
    message: '办公地址不能超过200个字（现有201个）',
  },
  { path: 'site.fillerUnit', value: undefined, label: '填报单位', message: '请填写填报单位' },
  { path: 'principal.name', value: '', label: '负责人姓名', message: '请填写负责人姓名' },
  { path: 'principal.title', value: '', label: '负责人职务', message: '请填写负责人职务' },
  { path: 'contact.name', value: '', label: '联系人姓名', message: '请填写联系人姓名' },
  { path: 'site.nickname', value: 'x', label: 'nickname', message: '表单中有不认识的字段“nickname”，请删除' },
  { path: 'columns[0].remark', value: 'x', label: 'remark', message: '表单中有不认识的字段“remark”，请删除' },
];

describe('field rules', () => {
  it.each(valid)('$path = $value is valid as $normalized', ({ path, value, normalized }) => {
    const result = validateForm(withValue(path, value));
    expect(result.errors).toEqual([]);
    expect(read(result.value as unknown as Record<string, any>, path)).toBe(normalized);
  });

  it.each(invalid)('$path = $value → $message', ({ path, value, label, message }) => {
    const result = validateForm(withValue(path, value));
    expect(result.ok).toBe(false);
    expect(result.value).toBeUndefined();
    expect(result.errors).toEqual([{ field: path, label, message }]);
  });
});
