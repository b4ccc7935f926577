// One labelled field: text input or drop-down, with its error right under it, tied to the
// input for screen readers (aria-describedby) and marked invalid (aria-invalid).
import type { FieldDef } from '@app/forms';

interface Props {
  id: string;
  def: FieldDef;
  /** The label as shown in the form (without the section name). */
  label: string;
  /** The full name for screen readers and errors, e.g. 负责人手机. */
  fullLabel: string;
  value: string;
  error?: string;
  onChange(value: string): void;
  onBlur(): void;
  wide?: boolean;
}

export function FieldInput({ id, def, label, fullLabel, value, error, onChange, onBlur, wide }: Props) {
  const errorId = `${id}-error`;
  const common = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
    'aria-required': def.required,
    'aria-label': fullLabel,
    onBlur,
  } as const;
  return (
    <div className={`field${wide ? ' field-wide' : ''}${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {def.required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {def.options ? (
        <select {...common} onChange={(event) => onChange(event.target.value)}>
          <option value="">请选择</option>
          {def.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type="text"
          placeholder={def.example ? `如 ${def.example}` : ''}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {error && (
        <div className="field-error" id={errorId} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
