// Forms that fail validation: reported all at once, by form and field, because a user must
// be able to fix every problem in one pass (docs/PACKAGE-FORMAT.md).
import { FieldError } from '@app/forms';
import { PackageError } from './errors';

export interface InvalidForm {
  /** Position in the input (writer) or in the manifest (reader), 0-based. */
  index: number;
  formId: string;
  siteName: string;
  /** The entry it came from, when read from a package. */
  path?: string;
  errors: FieldError[];
}

/** "《某某网站》：负责人手机：手机号应为11位数字" — one line per error. */
export function describeInvalidForm(form: InvalidForm): string[] {
  const name = form.siteName ? `《${form.siteName}》` : `第${form.index + 1}张表`;
  return form.errors.map(
    (error) => `${name}：${error.message.includes(error.label) ? '' : `${error.label}：`}${error.message}`,
  );
}

export function invalidFormsError(forms: InvalidForm[]): PackageError {
  const errorCount = forms.reduce((sum, form) => sum + form.errors.length, 0);
  return new PackageError(
    'FORM_INVALID',
    `有${forms.length}张表未通过检查（共${errorCount}处错误），请改正后再生成或导入`,
    { forms },
  );
}
