// pack <forms.json|template.xlsx> -o out.zip: the same package the offline client makes.
import { writeFileSync } from 'node:fs';
import { isPlainObject } from '@app/forms';
import { writePackage } from '@app/package';
import { invalidForms, loadForms } from '../load-forms';
import { complain, printCellErrors, printInvalidForms, say, UsageError } from '../print';
import { GENERATOR } from '../generator';

export interface PackOptions {
  input: string;
  output?: string;
  fillerUnit?: string;
  assignIds: boolean;
}

export async function pack(options: PackOptions): Promise<number> {
  if (!options.output) throw new UsageError('请用 -o 指定输出的 .zip 文件');
  const { forms, cellErrors } = await loadForms(options.input, { assignIds: options.assignIds });
  if (cellErrors.length > 0) {
    complain(`Excel文件中有${cellErrors.length}处问题，未生成上报文件：`);
    printCellErrors(cellErrors);
    return 1;
  }
  const invalid = invalidForms(forms);
  if (invalid.length > 0) {
    complain(`有${invalid.length}张表未通过检查，未生成上报文件：`);
    printInvalidForms(invalid);
    return 1;
  }
  const fillerUnit = options.fillerUnit ?? commonFillerUnit(forms);
  const bytes = await writePackage(forms, { fillerUnit, generator: GENERATOR });
  writeFileSync(options.output, bytes);
  say(`已生成上报文件 ${options.output}：${forms.length}张表，填报单位“${fillerUnit}”，${bytes.length} 字节`);
  return 0;
}

/** The forms' own 填报单位 when they agree; otherwise the user must say which one files. */
function commonFillerUnit(forms: unknown[]): string {
  const units = new Set(
    forms.map((form) =>
      isPlainObject(form) && isPlainObject(form.site) ? String(form.site.fillerUnit ?? '').trim() : '',
    ),
  );
  if (units.size === 1) return [...units][0];
  throw new UsageError(`这些表的填报单位不一致（${[...units].join('、')}），请用 --filler-unit 指定上报文件的填报单位`);
}
