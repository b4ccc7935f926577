// Excel 97–2003 (.xls) templates read like .xlsx ones; every other format, and crafted .xls
// files (prototype keys as names, huge declared dimensions, looping sector chains, truncation),
// are refused with a stable code and a message that says what to do.
import { columnTemplateColumns, COLUMNS_SHEET, createSampleForm, FORMS_SHEET, templateColumns } from '@app/forms';
import { strToU8, zipSync } from 'fflate';
import { readTemplate } from './read-template';
import { TemplateError, TemplateErrorCode } from './template-error';
import { writeTemplate } from './write-template';
import { claimHugeDimensions, compoundFile, loopWorkbookChain, workbookOf, xlsxToXls } from '../testing/craft-xls';
import { detectFileFormat } from './detect-format';

async function refusal(bytes: Uint8Array, options: Parameters<typeof readTemplate>[1] = {}): Promise<TemplateError> {
  const error = await readTemplate(bytes, options).then(
    () => new Error('expected a TemplateError'),
    (err: unknown) => err,
  );
  if (error instanceof TemplateError) return error;
  throw error;
}

const headers = templateColumns().map((column) => column.header);
const columnHeaders = columnTemplateColumns().map((column) => column.header);

describe('Excel 97–2003 (.xls) templates', () => {
  it('reads an .xls saved from the filled template: the same forms, errors and rows as the .xlsx', async () => {
    const forms = [createSampleForm(0), createSampleForm(1, { columnCount: 4 }), createSampleForm(2)];
    forms[2].principal.mobile = '12345';
    const xlsx = await writeTemplate(forms);
    const xls = xlsxToXls(xlsx);
    expect(detectFileFormat(xls)).toBe('ole2');
    const now = new Date('2026-12-01T06:40:00Z');
    const fromXls = await readTemplate(xls, { now });
    const fromXlsx = await readTemplate(xlsx, { now });
    expect(fromXls).toEqual(fromXlsx);
    expect(fromXls.forms.map((item) => item.form.site.siteName)).toEqual(forms.map((form) => form.site.siteName));
    expect(fromXls.errors).toEqual([
      {
        sheet: FORMS_SHEET,
        row: 4,
        column: 'Q',
        header: '负责人手机',
        field: 'principal.mobile',
        message: '手机号应为11位数字',
      },
    ]);
  });

  it('reads values typed as numbers (a mobile without the apostrophe) as their digits', async () => {
    const row = headers.map(() => '');
    row[1] = '测试网站';
    const mobile = headers.indexOf('负责人手机');
    const xls = workbookOf([[FORMS_SHEET, [headers, row.map((value, i) => (i === mobile ? 13800138000 : value))]]]);
    const [form] = (await readTemplate(xls)).forms;
    expect(form.form.principal.mobile).toBe('13800138000');
  });

  it.each<[string, () => Uint8Array, TemplateErrorCode, string]>([
    [
      'an Excel 5.0/95 workbook',
      () => workbookOf([[FORMS_SHEET, [headers]]], 'biff5'),
      'TEMPLATE_FORMAT_UNSUPPORTED',
      'Excel 5.0/95',
    ],
    [
      'an Excel 2.1 worksheet (no compound file)',
      () => workbookOf([[FORMS_SHEET, [headers]]], 'biff2'),
      'TEMPLATE_FORMAT_UNSUPPORTED',
      '另存为 .xlsx',
    ],
    [
      'a password-protected .xlsx',
      () => compoundFile({ EncryptionInfo: 'x', EncryptedPackage: 'y' }),
      'TEMPLATE_FORMAT_UNSUPPORTED',
      '取消密码',
    ],
    ['a Word document', () => compoundFile({ WordDocument: 'x' }), 'TEMPLATE_FORMAT_UNSUPPORTED', '不是Excel工作簿'],
    [
      'an OpenDocument spreadsheet',
      () => workbookOf([[FORMS_SHEET, [headers]]], 'ods'),
      'TEMPLATE_FORMAT_UNSUPPORTED',
      '.ods',
    ],
    ['a Numbers file', () => zipSync({ 'Index/Document.iwa': strToU8('x') }), 'TEMPLATE_FORMAT_UNSUPPORTED', 'Numbers'],
    ['a CSV file', () => strToU8('表单编号,网站名称\n,测试网站\n'), 'TEMPLATE_FORMAT_UNSUPPORTED', '另存为 .xlsx'],
  ])('refuses %s with %s and what to do', async (_name, make, code, words) => {
    const error = await refusal(make());
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
    expect(error.message).toContain('另存为 .xlsx 后再导入');
    expect(error.message).not.toContain('ZIP');
  });
});

describe('crafted .xls files', () => {
  let genuine: Uint8Array;
  beforeAll(async () => {
    genuine = xlsxToXls(await writeTemplate([createSampleForm(0), createSampleForm(1)]));
  });

  it.each<['biff8' | 'xlsx']>([['biff8'], ['xlsx']])(
    'treats __proto__ and constructor as names in %s: as sheet names, headers and cell values, nothing is polluted',
    async (bookType) => {
      const row = headers.map(() => 'constructor');
      row[0] = '';
      row[1] = '__proto__';
      const xls = workbookOf(
        [
          [
            '__proto__',
            [
              ['__proto__', 'constructor'],
              ['polluted', 'yes'],
            ],
          ],
          ['constructor', [['prototype'], ['x']]],
          [
            FORMS_SHEET,
            [
              [...headers, '__proto__', 'constructor'],
              [...row, 'polluted', 'polluted'],
            ],
          ],
          [
            COLUMNS_SHEET,
            [
              [...columnHeaders, '__proto__'],
              ['', '__proto__', 'constructor', 'http://x.gov.cn/', '信息公开', 'x'],
            ],
          ],
        ],
        bookType,
      );
      const result = await readTemplate(xls);
      expect(result.forms).toHaveLength(1);
      expect(result.forms[0].form.site.siteName).toBe('__proto__');
      expect(result.forms[0].form.columns).toEqual([
        { name: 'constructor', url: 'http://x.gov.cn/', category: 'information' },
      ]);
      expect(Object.getPrototypeOf(result.forms[0].form)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.keys(Object.prototype)).toEqual([]);
      expect(result.errors.length).toBeGreaterThan(0); // 'constructor' is no valid phone, URL, …
    },
  );

  it('does not trust a DIMENSIONS record claiming 65,536 × 256 cells', async () => {
    const result = await readTemplate(claimHugeDimensions(genuine));
    expect(result.forms).toHaveLength(2);
  });

  it('refuses a workbook whose sector chain loops back on itself', async () => {
    expect((await refusal(loopWorkbookChain(genuine))).code).toBe('TEMPLATE_UNREADABLE');
  });

  it.each([200, 1000, 4000])('refuses an .xls truncated to %i bytes', async (length) => {
    const error = await refusal(genuine.slice(0, length));
    expect(error.code).toBe('TEMPLATE_UNREADABLE');
    expect(error.message).toContain('另存为 .xlsx');
  });

  it.each<[string, object, object]>([
    ['the file size', { maxBytes: 1000 }, { bytes: expect.any(Number) }],
    ['the rows of a sheet', { maxRows: 2 }, { sheet: FORMS_SHEET }],
    ['the cells', { maxCells: 30 }, { cells: expect.any(Number) }],
  ])('refuses past the limit on %s with TEMPLATE_TOO_LARGE', async (_name, limits, details) => {
    for (const bytes of [genuine, await writeTemplate([createSampleForm(0), createSampleForm(1)])]) {
      const error = await refusal(bytes, { limits });
      expect(error.code).toBe('TEMPLATE_TOO_LARGE');
      expect(error.details).toMatchObject(details);
    }
  });
});
