// template [forms.json] -o 模板.xlsx: the blank Excel template, or one filled with forms.
import { writeFileSync } from 'node:fs';
import { SiteForm } from '@app/forms';
import { writeTemplate } from '@app/package';
import { invalidForms, loadForms } from '../load-forms';
import { complain, printInvalidForms, say, UsageError } from '../print';

export async function template(input: string | undefined, output: string | undefined): Promise<number> {
  if (!output) throw new UsageError('请用 -o 指定输出的 .xlsx 文件');
  let forms: unknown[] = [];
  if (input) {
    forms = (await loadForms(input)).forms;
    const invalid = invalidForms(forms);
    if (invalid.length > 0) {
      complain('只能把通过检查的表填入模板：');
      printInvalidForms(invalid);
      return 1;
    }
  }
  writeFileSync(output, await writeTemplate(forms as SiteForm[]));
  say(`已生成Excel模板 ${output}${forms.length > 0 ? `（含${forms.length}张表）` : ''}`);
  return 0;
}
