// validate <forms.json|template.xlsx|package.zip>: every error of every form, exit 1 if any.
import { extname } from 'node:path';
import { readPackage } from '@app/package';
import { nodeCodec } from '@app/package/node-codec';
import { invalidForms, loadForms, readBytes } from '../load-forms';
import { complain, printCellErrors, printInvalidForms, say } from '../print';

export async function validate(input: string): Promise<number> {
  if (extname(input).toLowerCase() === '.zip') return validatePackage(input);
  const { forms, cellErrors } = await loadForms(input);
  if (cellErrors.length > 0) {
    complain(`${forms.length}张表中发现${cellErrors.length}处问题：`);
    printCellErrors(cellErrors);
    return 1;
  }
  const invalid = invalidForms(forms);
  if (invalid.length > 0) {
    complain(`${forms.length}张表中有${invalid.length}张未通过检查：`);
    printInvalidForms(invalid);
    return 1;
  }
  say(`检查通过：${forms.length}张表全部符合要求`);
  return 0;
}

function validatePackage(input: string): number {
  const contents = readPackage(readBytes(input), {}, nodeCodec);
  if (contents.rejected.length > 0) {
    complain(`上报文件结构完好，但${contents.manifest.forms.length}张表中有${contents.rejected.length}张未通过检查：`);
    printInvalidForms(contents.rejected);
    return 1;
  }
  say(`检查通过：上报文件完好，${contents.forms.length}张表全部符合要求`);
  return 0;
}
