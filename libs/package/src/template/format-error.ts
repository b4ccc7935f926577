// TEMPLATE_FORMAT_UNSUPPORTED: a file that is a spreadsheet (or meant as one) in a format the
// reader cannot read. The message always says what to do: save it as .xlsx.
import { TemplateError } from './template-error';

export type FileFormatRefusal = 'encrypted' | 'biff5' | 'not-a-workbook' | 'ods' | 'numbers' | 'other';

const WHAT: Record<FileFormatRefusal, string> = {
  encrypted: '这个Excel文件设置了打开密码，系统无法读取',
  biff5: '这个文件是Excel 5.0/95格式，系统无法读取',
  'not-a-workbook': '这个文件不是Excel工作簿（可能是Word文档或其他格式）',
  ods: '这个文件是OpenDocument（.ods）格式，系统无法读取',
  numbers: '这个文件是Numbers表格格式，系统无法读取',
  other: '这个文件不是Excel工作簿（.xlsx或.xls），系统无法读取',
};

const DO = {
  encrypted: '请在Excel或WPS中取消密码，另存为 .xlsx 后再导入',
  default: '请用Excel或WPS打开，另存为 .xlsx 后再导入',
};

export function formatUnsupported(refusal: FileFormatRefusal): TemplateError {
  return new TemplateError(
    'TEMPLATE_FORMAT_UNSUPPORTED',
    `${WHAT[refusal]}：${refusal === 'encrypted' ? DO.encrypted : DO.default}`,
    { format: refusal },
  );
}
