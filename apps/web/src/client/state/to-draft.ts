// Brings any form-like object (from an export file or an Excel row) to the editor's shape:
// every known key present as a string. Validation is NOT done here: drafts may be invalid.
import {
  COLUMN_FIELDS,
  createBlankForm,
  FieldDef,
  FORM_TYPE,
  isFormId,
  isPlainObject,
  SCHEMA_VERSION,
  SECTIONS,
  SiteForm,
} from '@app/forms';

export function toDraft(input: unknown): SiteForm | null {
  if (!isPlainObject(input) || typeof input.id !== 'string' || !isFormId(input.id)) return null;
  const draft = createBlankForm() as unknown as Record<string, unknown>;
  draft.id = input.id.toLowerCase();
  draft.type = FORM_TYPE;
  draft.schemaVersion = SCHEMA_VERSION;
  if (typeof input.updatedAt === 'string' && !Number.isNaN(Date.parse(input.updatedAt)))
    draft.updatedAt = input.updatedAt;
  for (const section of SECTIONS) draft[section.key] = pick(section.fields, input[section.key]);
  draft.columns = Array.isArray(input.columns) ? input.columns.map((column) => pick(COLUMN_FIELDS, column)) : [];
  return draft as unknown as SiteForm;
}

function pick(fields: readonly FieldDef[], raw: unknown): Record<string, string> {
  const source = isPlainObject(raw) ? raw : {};
  return Object.fromEntries(
    fields.map((def) => [
      def.key,
      source[def.key] === undefined || source[def.key] === null ? '' : String(source[def.key]),
    ]),
  );
}
