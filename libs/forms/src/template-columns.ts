// The Excel template's columns, derived from the definition. Sheet 网站基本信息 has one row
// per website; sheet 栏目信息 one row per 栏目, tied to its website by 表单编号 or, for a new
// website whose 表单编号 is still blank, by 网站名称 (see libs/package/README.md).
import { COLUMN_FIELDS, ENVELOPE_LABELS, fieldLabel, SECTIONS, SITE_SECTION } from './schema/definition';
import { EnumOption } from './schema/field';

export const FORMS_SHEET = '网站基本信息';
export const COLUMNS_SHEET = '栏目信息';
export const HELP_SHEET = '填写说明';

export interface TemplateColumn {
  /** Path in the form document: `id`, `site.siteName`, `principal.mobile`, `columns.url`. */
  readonly path: string;
  /** Header text (Chinese). */
  readonly header: string;
  readonly required: boolean;
  /** Column width in characters. */
  readonly width: number;
  readonly options?: readonly EnumOption[];
  readonly example?: string;
}

/** Columns of sheet 网站基本信息: 表单编号 first, then every field of site, principal, contact. */
export function templateColumns(): TemplateColumn[] {
  const columns: TemplateColumn[] = [{ path: 'id', header: ENVELOPE_LABELS.id, required: false, width: 38 }];
  for (const section of SECTIONS) {
    for (const def of section.fields) {
      columns.push({
        path: `${section.key}.${def.key}`,
        header: fieldLabel(section, def),
        required: def.required,
        width: Math.min(40, Math.max(12, def.maxLength > 60 ? 30 : 16)),
        options: def.options,
        example: def.example,
      });
    }
  }
  return columns;
}

/** Columns of sheet 栏目信息: the website it belongs to, then the 栏目's fields. */
export function columnTemplateColumns(): TemplateColumn[] {
  const siteName = SITE_SECTION.fields.find((def) => def.key === 'siteName');
  return [
    { path: 'id', header: ENVELOPE_LABELS.id, required: false, width: 38 },
    { path: 'site.siteName', header: siteName ? siteName.label : '网站名称', required: false, width: 30 },
    ...COLUMN_FIELDS.map((def) => ({
      path: `columns.${def.key}`,
      header: def.label,
      required: def.required,
      width: def.kind === 'url' ? 40 : 20,
      options: def.options,
      example: def.example,
    })),
  ];
}
