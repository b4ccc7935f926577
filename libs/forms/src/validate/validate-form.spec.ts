import { createBlankForm } from '../blank-form';
import { createSampleForm } from '../sample-form';
import { SECTIONS } from '../schema/definition';
import { validateForm } from './validate-form';

const sample = () => JSON.parse(JSON.stringify(createSampleForm(7))) as Record<string, any>;

describe('validateForm: the document', () => {
  it('accepts a complete form and returns it normalized', () => {
    const form = sample();
    form.principal.mobile = '１３８００１３８０００';
    form.id = form.id.toUpperCase();
    const result = validateForm(form);
    expect(result.ok).toBe(true);
    expect(result.value?.principal.mobile).toBe('13800138000');
    expect(result.value?.id).toBe(form.id.toLowerCase());
  });

  it.each([
    ['a string', 'x'],
    ['null', null],
    ['an array', []],
  ])('refuses %s', (_, input) => {
    expect(validateForm(input).errors).toEqual([{ field: '', label: '表单', message: '表单应为JSON对象（{…}）' }]);
  });

  it.each([
    ['id', 'not-a-uuid', '表单编号'],
    ['type', 'other-form', '表单类型'],
    ['schemaVersion', '2014.1', '表单版本'],
    ['updatedAt', '2026-13-45 10:00', '修改时间'],
    ['updatedAt', undefined, '修改时间'],
  ])('refuses a bad %s (%s)', (key, value, label) => {
    const form = sample();
    if (value === undefined) delete form[key];
    else form[key] = value;
    const { errors } = validateForm(form);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: key, label });
  });

  it('refuses 地区/部门: import sets it, never the client', () => {
    const form = { ...sample(), region: '110000' };
    expect(validateForm(form).errors).toEqual([
      { field: 'region', label: '地区/部门', message: '地区/部门由导入的单位设置，表单中不能填写，请删除' },
    ]);
  });

  it('refuses unknown top-level keys', () => {
    expect(validateForm({ ...sample(), extra: 1 }).errors).toEqual([
      { field: 'extra', label: 'extra', message: '表单中有不认识的字段“extra”，请删除' },
    ]);
  });

  it.each(['site', 'principal', 'contact'])('refuses a missing %s section', (key) => {
    const form = sample();
    delete form[key];
    expect(validateForm(form).errors).toEqual([expect.objectContaining({ field: key })]);
  });

  it('accepts 0 and 200 栏目, refuses 201', () => {
    const form = sample();
    form.columns = [];
    expect(validateForm(form).ok).toBe(true);
    form.columns = createSampleForm(1, { columnCount: 200 }).columns;
    expect(validateForm(form).ok).toBe(true);
    form.columns = createSampleForm(1, { columnCount: 201 }).columns;
    expect(validateForm(form).errors).toEqual([
      { field: 'columns', label: '栏目（系统）信息', message: '栏目（系统）最多200个，现有201个' },
    ]);
  });

  it('refuses columns that are not a list, and 栏目 that are not objects', () => {
    const form = sample();
    form.columns = {};
    expect(validateForm(form).errors[0]).toMatchObject({ field: 'columns' });
    form.columns = ['政务公开'];
    expect(validateForm(form).errors).toEqual([
      { field: 'columns[0]', label: '第1个栏目', message: '第1个栏目应为JSON对象（{…}）' },
    ]);
  });

  it('reports every error of a blank form at once, in display order', () => {
    const { errors } = validateForm(createBlankForm());
    const required = SECTIONS.flatMap((section) =>
      section.fields.filter((def) => def.required).map((def) => `${section.key}.${def.key}`),
    );
    expect(errors.map((error) => error.field)).toEqual(required);
    expect(errors.every((error) => error.message.startsWith('请填写'))).toBe(true);
  });

  it('reports errors in several sections and 栏目 together', () => {
    const form = sample();
    form.principal.mobile = '123';
    form.contact.email = 'a@b.cn;c@d.cn';
    form.columns[2].url = 'ftp://x.gov.cn';
    expect(validateForm(form).errors.map((error) => error.field)).toEqual([
      'principal.mobile',
      'contact.email',
      'columns[2].url',
    ]);
  });
});
