import { formatBytes } from '../limits';
import { TemplateLimits } from './grid';
import { TemplateError } from './template-error';

/** TEMPLATE_TOO_LARGE: the file, a sheet's rows or the cells are past the limits. */
export function tooLarge(
  found: { bytes?: number; inflatedBytes?: number; sheet?: string; rows?: number; cells?: number },
  limits: TemplateLimits,
): TemplateError {
  const what =
    found.bytes !== undefined
      ? `文件大小为 ${formatBytes(found.bytes)}，超过了 ${formatBytes(limits.maxBytes)} 的上限`
      : found.inflatedBytes !== undefined
        ? `解压后超过了 ${formatBytes(limits.maxInflatedBytes)} 的上限`
        : found.rows !== undefined
          ? `“${found.sheet}”工作表有${found.rows}行，超过了${limits.maxRows}行的上限`
          : `填写的单元格超过了${limits.maxCells}个的上限`;
  return new TemplateError('TEMPLATE_TOO_LARGE', `Excel文件过大：${what}。请分成几个文件导入`, {
    ...found,
    limits: { ...limits },
  });
}
