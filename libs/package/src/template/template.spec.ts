import ExcelJS from 'exceljs';
import { createSampleForm, isFormId } from '@app/forms';
import { readTemplate } from './read-template';
import { TemplateError } from './template-error';
import { writeTemplate } from './write-template';

async function workbookOf(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return workbook;
}

async function bytesOf(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

async function templateError(bytes: Uint8Array): Promise<TemplateError> {
  try {
    await readTemplate(bytes);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('Excel template', () => {
  it('has Chinese headers from the schema, required ones marked, and drop-downs of labels', async () => {
    const workbook = await workbookOf(await writeTemplate());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['填写说明', '网站基本信息', '栏目信息']);
    const header = workbook.getWorksheet('网站基本信息')!.getRow(1).values as string[];
    expect(header.slice(1, 5)).toEqual(['表单编号', '网站名称 *', '首页网址 *', '跳转网址']);
    expect(header).toContain('负责人手机 *');
    expect(workbook.getWorksheet('网站基本信息')!.getCell('E2').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"门户网站,部门网站"'],
    });
    expect(workbook.getWorksheet('栏目信息')!.getRow(1).values).toEqual([
      undefined,
      '表单编号',
      '网站名称',
      '栏目名称 *',
      '栏目地址 *',
      '类别 *',
    ]);
  });

  it('reads back filled forms unchanged, ids kept', async () => {
    const forms = [
      createSampleForm(0),
      createSampleForm(1, { columnCount: 5 }),
      createSampleForm(2, { columnCount: 0 }),
    ];
    const result = await readTemplate(await writeTemplate(forms));
    expect(result.errors).toEqual([]);
    expect(result.forms.map((item) => [item.row, item.newId])).toEqual([
      [2, false],
      [3, false],
      [4, false],
    ]);
    expect(result.forms.map((item) => ({ ...item.form, updatedAt: '' }))).toEqual(
      forms.map((form) => ({ ...form, updatedAt: '' })),
    );
  });

  it('reads rows typed by a user: blank ids, labels, numbers, links, 栏目 by site name', async () => {
    const workbook = await workbookOf(await writeTemplate());
    const sample = createSampleForm(3);
    const main = workbook.getWorksheet('网站基本信息')!;
    const row = [
      '',
      sample.site.siteName,
      { text: sample.site.homepageUrl, hyperlink: sample.site.homepageUrl },
      '',
      '部门网站',
      '本级部门',
      sample.site.sponsorUnit,
      '',
      sample.site.officeAddress,
      '',
      '',
      '正常',
      sample.site.fillerUnit,
      '张伟',
      '主任',
      '０１０－６２３４５６７８',
      13800138000,
      'zw@example.gov.cn',
      '李娜',
      '010-87654321',
      13900139000,
      'ln@example.gov.cn',
    ];
    main.getRow(2).values = row as ExcelJS.CellValue[];
    workbook.getWorksheet('栏目信息')!.getRow(2).values = [
      '',
      sample.site.siteName,
      '政务公开',
      'http://www.example.gov.cn/zwgk/',
      '信息公开',
    ];
    const result = await readTemplate(await bytesOf(workbook));
    expect(result.errors).toEqual([]);
    const [{ form, newId }] = result.forms;
    expect(newId).toBe(true);
    expect(isFormId(form.id)).toBe(true);
    expect(form.site).toMatchObject({
      homepageUrl: sample.site.homepageUrl,
      siteKind: 'department',
      layer: 'own-department',
      siteStatus: 'normal',
    });
    expect(form.principal).toMatchObject({ mobile: '13800138000', officePhone: '０１０－６２３４５６７８' });
    expect(form.columns).toEqual([
      { name: '政务公开', url: 'http://www.example.gov.cn/zwgk/', category: 'information' },
    ]);
  });

  it('reports every problem as a cell with sheet, row, column and header', async () => {
    const forms = [createSampleForm(4), createSampleForm(5)];
    forms[0].principal.mobile = '12345';
    forms[1].columns[1].url = 'www.example.gov.cn';
    const workbook = await workbookOf(await writeTemplate(forms));
    workbook.getWorksheet('网站基本信息')!.getRow(4).values = [forms[0].id, '重复的网站'];
    workbook.getWorksheet('栏目信息')!.getRow(8).values = ['', '不存在的网站', '栏目', 'http://x.gov.cn/', '信息公开'];
    const result = await readTemplate(await bytesOf(workbook));
    expect(result.errors).toEqual(
      expect.arrayContaining([
        {
          sheet: '网站基本信息',
          row: 2,
          column: 'Q',
          header: '负责人手机',
          field: 'principal.mobile',
          message: '手机号应为11位数字',
        },
        {
          sheet: '栏目信息',
          row: 6,
          column: 'D',
          header: '栏目地址',
          field: 'columns[1].url',
          message: expect.stringContaining('http://'),
        },
        {
          sheet: '网站基本信息',
          row: 4,
          column: 'A',
          header: '表单编号',
          message: expect.stringContaining('与第2行相同'),
        },
        {
          sheet: '栏目信息',
          row: 8,
          column: 'B',
          header: '网站名称',
          message: '“网站基本信息”中没有名为“不存在的网站”的网站',
        },
      ]),
    );
    expect(result.forms).toHaveLength(3);
  });

  it.each([
    ['TEMPLATE_FORMAT_UNSUPPORTED', async () => new TextEncoder().encode('not a workbook')],
    ['TEMPLATE_UNREADABLE', async () => (await writeTemplate()).slice(0, 3000)],
    [
      'TEMPLATE_SHEET_MISSING',
      async () => {
        const wb = new ExcelJS.Workbook();
        wb.addWorksheet('Sheet1');
        return bytesOf(wb);
      },
    ],
    [
      'TEMPLATE_HEADER_MISSING',
      async () => {
        const wb = new ExcelJS.Workbook();
        wb.addWorksheet('网站基本信息').addRow(['网站名称']);
        return bytesOf(wb);
      },
    ],
  ])('refuses with %s', async (code, make) => {
    expect((await templateError(await make())).code).toBe(code);
  });
});
