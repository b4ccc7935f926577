// The form's sections and its 栏目 table, one input per field with its message beside it.
// Shared by the offline client's editor and the console's record editor.
import { ColumnInfo, fieldLabel, SECTIONS, SiteForm } from '@app/forms';
import { ColumnsTable } from './ColumnsTable';
import { FieldInput } from './FieldInput';

interface Props {
  form: SiteForm;
  errorOf: (path: string) => string | undefined;
  onField: (section: string, key: string, value: string) => void;
  onColumns: (columns: ColumnInfo[]) => void;
  onTouch: (path: string) => void;
}

export function FormFields({ form, errorOf, onField, onColumns, onTouch }: Props) {
  return (
    <>
      {SECTIONS.map((section) => (
        <fieldset className="section" key={section.key}>
          <legend>{section.label}</legend>
          <div className="grid">
            {section.fields.map((def) => {
              const path = `${section.key}.${def.key}`;
              return (
                <FieldInput
                  key={path}
                  id={`field-${path}`}
                  def={def}
                  label={def.label}
                  fullLabel={fieldLabel(section, def)}
                  value={(form as unknown as Record<string, Record<string, string>>)[section.key][def.key] ?? ''}
                  error={errorOf(path)}
                  onChange={(value) => onField(section.key, def.key, value)}
                  onBlur={() => onTouch(path)}
                  wide={def.maxLength > 100 || def.kind === 'url'}
                />
              );
            })}
          </div>
        </fieldset>
      ))}
      <ColumnsTable columns={form.columns} errorOf={errorOf} onTouch={onTouch} onChange={onColumns} />
    </>
  );
}
