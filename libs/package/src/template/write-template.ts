// The Excel template (政府网站基本信息表模板.xlsx): built from the form definition, blank or
// filled with forms. Sheet 网站基本信息: one row per website; sheet 栏目信息: one row per 栏目;
// sheet 填写说明: how to fill it. Options are drop-down lists of the Chinese labels.
import type ExcelJS from 'exceljs';
import { loadExcelJS } from './load-exceljs';
import {
  columnTemplateColumns,
  COLUMNS_SHEET,
  FORMS_SHEET,
  HELP_SHEET,
  SiteForm,
  TemplateColumn,
  templateColumns,
} from '@app/forms';
import { columnLetter } from './cells';

const DATA_ROWS = 1000;
const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } } as const;

export async function writeTemplate(forms: readonly SiteForm[] = []): Promise<Uint8Array> {
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.creator = '全国政府网站信息报送系统';
  addHelpSheet(workbook);
  const main = addSheet(workbook, FORMS_SHEET, templateColumns());
  forms.forEach((form, index) => {
    main.getRow(index + 2).values = templateColumns().map((column) =>
      displayValue(column, readPath(form, column.path)),
    );
  });
  const columnsSheet = addSheet(workbook, COLUMNS_SHEET, columnTemplateColumns());
  const category = columnTemplateColumns()[4];
  const rows = forms.flatMap((form) =>
    form.columns.map((item) => [
      form.id,
      form.site.siteName,
      item.name,
      item.url,
      displayValue(category, item.category),
    ]),
  );
  rows.forEach((values, index) => {
    columnsSheet.getRow(index + 2).values = values;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: TemplateColumn[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: column.required ? `${column.header} *` : column.header,
    width: column.width,
    style: { numFmt: '@' },
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell, index) => {
    cell.fill = HEADER_FILL;
    const column = columns[index - 1];
    if (column.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    if (column.example) cell.note = `例：${column.example}`;
  });
  columns.forEach((column, index) => {
    if (!column.options) return;
    const list = `"${column.options.map((option) => option.label).join(',')}"`;
    const letter = columnLetter(index + 1);
    for (let row = 2; row <= DATA_ROWS + 1; row += 1) {
      sheet.getCell(`${letter}${row}`).dataValidation = {
        type: 'list',
        allowBlank: !column.required,
        formulae: [list],
        showErrorMessage: true,
        error: `请从下拉列表中选择${column.header}`,
      };
    }
  });
  return sheet;
}

function addHelpSheet(workbook: ExcelJS.Workbook): void {
  const sheet = workbook.addWorksheet(HELP_SHEET);
  sheet.getColumn(1).width = 110;
  const lines = [
    '政府网站基本信息表 填写说明',
    '1. 一个网站填一行（一张表）。请不要把几个网站填进同一行：同一张表只对应一个网站，后填的内容会覆盖先填的。',
    `2. “${FORMS_SHEET}”工作表：标“*”的列必须填写。网站类型、网站类别、运行状态请从下拉列表中选择。`,
    '3. 表单编号：新网站请留空，导入时自动生成；已有表单编号的行请保留原编号，不要修改或复制到其他行。',
    `4. “${COLUMNS_SHEET}”工作表：每个栏目（系统）填一行。填写所属网站的表单编号；新网站没有编号时，填写与“${FORMS_SHEET}”中完全相同的网站名称。`,
    '5. 办公电话格式为“区号-号码”，可带“-分机”，如 010-62345678；手机为11位数字；每个电话、手机、邮箱只能填一个。',
    '6. 网址以 http:// 或 https:// 开头。ICP备案号如 京ICP备05070218号；公安机关备案号如 京公网安备11010502030143号。',
    '7. 填好后，在离线填报工具中点“导入Excel模板”，检查无误后“生成上报文件”。',
  ];
  lines.forEach((line, index) => {
    const cell = sheet.getCell(`A${index + 1}`);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (index === 0) cell.font = { bold: true, size: 14 };
  });
}

function displayValue(column: TemplateColumn, value: string): string {
  return column.options?.find((option) => option.value === value)?.label ?? value;
}

function readPath(form: SiteForm, path: string): string {
  const [section, key] = path.split('.');
  if (!key) return String((form as unknown as Record<string, unknown>)[section] ?? '');
  const values = (form as unknown as Record<string, Record<string, string>>)[section];
  return values?.[key] ?? '';
}
