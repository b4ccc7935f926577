// The Excel template in the browser: the blank template to download, and a filled one read
// into drafts (ids already in the sheet are kept, so a re-import updates the same drafts).
import type { SiteForm } from '@app/forms';
import { readTemplate, TemplateCellError, TemplateError, writeTemplate } from '@app/package';

export async function blankTemplate(): Promise<Uint8Array> {
  return writeTemplate();
}

export interface ExcelImport {
  forms: SiteForm[];
  withErrors: number;
  cellErrors: TemplateCellError[];
}

export async function importExcel(bytes: Uint8Array): Promise<ExcelImport> {
  try {
    const result = await readTemplate(bytes);
    return {
      forms: result.forms.map((item) => item.form),
      withErrors: result.forms.filter((item) => item.errors.length > 0).length,
      cellErrors: result.errors,
    };
  } catch (error) {
    if (error instanceof TemplateError) throw new Error(error.message);
    throw error;
  }
}
