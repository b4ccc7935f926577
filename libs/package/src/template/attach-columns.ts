// Puts each row of sheet 栏目信息 into its website's form: by 表单编号 when the row has one,
// else by 网站名称 (for new websites whose 表单编号 is still blank).
import { ColumnInfo, SiteForm } from '@app/forms';
import { SheetTable } from './sheet-table';
import { TemplateCellError } from './template-error';

/** Returns, per form id, the sheet row of each of its 栏目 (index = position in form.columns). */
export function attachColumns(
  sheet: SheetTable,
  forms: { form: SiteForm }[],
  errors: TemplateCellError[],
  blank: () => ColumnInfo,
): Map<string, number[]> {
  const byId = new Map(forms.map(({ form }) => [form.id.toLowerCase(), form]));
  const byName = new Map<string, SiteForm[]>();
  for (const { form } of forms)
    byName.set(form.site.siteName.trim(), [...(byName.get(form.site.siteName.trim()) ?? []), form]);
  const rowsOf = new Map<string, number[]>();
  for (const row of sheet.rows) {
    const form = findForm(sheet, row, byId, byName, errors);
    if (!form) continue;
    const column = blank();
    for (const key of Object.keys(column) as (keyof ColumnInfo)[])
      column[key] = optionValue(sheet, key, row.values.get(`columns.${key}`) ?? '');
    form.columns.push(column);
    rowsOf.set(form.id, [...(rowsOf.get(form.id) ?? []), row.number]);
  }
  return rowsOf;
}

function findForm(
  sheet: SheetTable,
  row: SheetTable['rows'][number],
  byId: Map<string, SiteForm>,
  byName: Map<string, SiteForm[]>,
  errors: TemplateCellError[],
): SiteForm | undefined {
  const id = (row.values.get('id') ?? '').trim().toLowerCase();
  if (id) {
    const form = byId.get(id);
    if (!form)
      errors.push({
        ...sheet.cell(row.number, 'id'),
        message: '找不到这个表单编号的网站：请核对“网站基本信息”中的表单编号',
      });
    return form;
  }
  const name = (row.values.get('site.siteName') ?? '').trim();
  const matches = byName.get(name) ?? [];
  if (matches.length === 1) return matches[0];
  const message = !name
    ? '请填写所属网站的表单编号或网站名称'
    : matches.length === 0
      ? `“网站基本信息”中没有名为“${name}”的网站`
      : `“网站基本信息”中有${matches.length}个名为“${name}”的网站，请改填表单编号`;
  errors.push({ ...sheet.cell(row.number, name ? 'site.siteName' : 'id'), message });
  return undefined;
}

function optionValue(sheet: SheetTable, key: string, raw: string): string {
  const column = sheet.columns.find((item) => item.path === `columns.${key}`);
  const option = column?.options?.find((item) => item.label === raw.trim() || item.value === raw.trim());
  return option ? option.value : raw;
}
