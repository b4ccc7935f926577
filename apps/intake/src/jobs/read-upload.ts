import { ImportFieldError, InvalidImportForm, PackageKind } from '@app/contracts';
import { COLUMNS_SHEET, FORMS_SHEET, showForbiddenCharacters, SiteForm, validateForm } from '@app/forms';
import {
  DEFAULT_PACKAGE_LIMITS,
  detectFileFormat,
  PackageError,
  readPackage,
  readTemplate,
  TemplateCellError,
  TemplateError,
} from '@app/package';
import { nodeCodec } from '@app/package/node-codec';

export interface ReadUpload {
  forms: SiteForm[];
  invalid: InvalidImportForm[];
}

/**
 * Whether an upload is read as a package: by its bytes first, its name (`kind`) second. An
 * Excel workbook (.xlsx, or an OLE2 .xls/.et) is read as a template whatever it was called,
 * so a renamed or mis-sent workbook never gets the package's "not a ZIP" refusal.
 */
export function readsAsPackage(kind: PackageKind, bytes: Uint8Array): boolean {
  const format = detectFileFormat(bytes);
  if (format === 'xlsx' || format === 'ole2' || format === 'ods' || format === 'numbers') return false;
  return kind === 'zip';
}

/**
 * An uploaded package → its valid (normalised) forms and its invalid ones with every error.
 * A package that cannot be read at all throws PackageError / TemplateError (the job fails
 * with that code; nothing reaches review).
 */
export async function readUpload(kind: PackageKind, bytes: Uint8Array, maxUploadBytes: number): Promise<ReadUpload> {
  if (readsAsPackage(kind, bytes)) {
    const contents = readPackage(bytes, { maxPackageBytes: maxUploadBytes }, nodeCodec);
    return {
      forms: contents.forms,
      invalid: contents.rejected.map((form) => ({
        formId: reportId(form.formId || null),
        siteName: reportName(form.siteName),
        errors: form.errors,
      })),
    };
  }
  const template = await readTemplate(bytes, { maxForms: DEFAULT_PACKAGE_LIMITS.maxForms });
  const forms: SiteForm[] = [];
  const invalid: InvalidImportForm[] = [];
  for (const row of template.forms) {
    const result = validateForm(row.form);
    if (result.ok && row.cells.length === 0) forms.push(result.value);
    else
      invalid.push({
        formId: reportId(row.form.id ?? null),
        siteName: reportName(row.form.site?.siteName?.trim() || `${FORMS_SHEET} 第${row.row}行（未填网站名称）`),
        errors: row.cells.map(cellError),
      });
  }
  // Problems of no single website: a 栏目 row naming a website the sheet does not have.
  const placed = new Set(template.forms.flatMap((row) => row.cells));
  const unplaced = template.errors.filter((error) => !placed.has(error));
  if (unplaced.length)
    invalid.push({ formId: null, siteName: `${COLUMNS_SHEET}中无法对应到网站的行`, errors: unplaced.map(cellError) });
  return { forms, invalid };
}

/** A template problem for the report: where it is in Excel (sheet, row, column header) and what is wrong. */
function cellError(cell: TemplateCellError): ImportFieldError {
  return {
    field: cell.field ?? '',
    label: cell.header ? `${cell.sheet} 第${cell.row}行 ${cell.header}` : `${cell.sheet} 第${cell.row}行`,
    message: cell.message,
    sheet: cell.sheet,
    row: cell.row,
    column: cell.column,
    header: cell.header,
  };
}

/** What review's report keeps of a name (at most 200 characters: InvalidImportForm). */
const REPORT_NAME_MAX = 200;
const REPORT_ID_MAX = 64;

/**
 * An invalid form's name and id are echoed from the upload into the report, unchecked: a NUL
 * (`_x0000_` in an XLSX) could not be stored, a bidi override would turn the name around
 * (both are shown by code), and a name or id past review's bounds had the whole commit refused.
 */
function reportName(name: string): string {
  const shown = [...showForbiddenCharacters(String(name))];
  return shown.length > REPORT_NAME_MAX ? `${shown.slice(0, REPORT_NAME_MAX - 1).join('')}…` : shown.join('');
}

function reportId(id: string | null): string | null {
  if (id === null) return null;
  const shown = [...showForbiddenCharacters(String(id))];
  return shown.length > REPORT_ID_MAX ? `${shown.slice(0, REPORT_ID_MAX - 1).join('')}…` : shown.join('');
}

/** Whether an error means the package itself is unusable (the job fails, no retry). */
export function isPackageRefusal(err: unknown): err is PackageError | TemplateError {
  return err instanceof PackageError || err instanceof TemplateError;
}
