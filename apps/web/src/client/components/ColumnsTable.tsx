// The 栏目（系统） list of one form: a row per 栏目, add and remove, errors in the cells.
import { COLUMN_FIELDS, columnFieldLabel, ColumnInfo, createBlankColumn, MAX_COLUMNS } from '@app/forms';
import { FieldInput } from './FieldInput';

interface Props {
  columns: ColumnInfo[];
  errorOf(path: string): string | undefined;
  onChange(columns: ColumnInfo[]): void;
  onTouch(path: string): void;
}

export function ColumnsTable({ columns, errorOf, onChange, onTouch }: Props) {
  const update = (index: number, key: keyof ColumnInfo, value: string) => {
    onTouch(`columns[${index}].${key}`);
    onChange(columns.map((column, i) => (i === index ? { ...column, [key]: value } : column)));
  };
  const add = () => onChange([...columns, createBlankColumn()]);
  const remove = (index: number) => onChange(columns.filter((_, i) => i !== index));
  return (
    <fieldset className="section">
      <legend>
        栏目（系统）信息{' '}
        <span className="muted">
          共{columns.length}个，最多{MAX_COLUMNS}个
        </span>
      </legend>
      {columns.length === 0 && <p className="muted">还没有栏目。点“添加栏目”逐个填写网站的栏目（系统）。</p>}
      <ol className="columns">
        {columns.map((column, index) => (
          <li key={index} className="column-row">
            <span className="column-number">第{index + 1}个</span>
            {COLUMN_FIELDS.map((def) => {
              const path = `columns[${index}].${def.key}`;
              return (
                <FieldInput
                  key={def.key}
                  id={`field-${path}`}
                  def={def}
                  label={def.label}
                  fullLabel={columnFieldLabel(index, def)}
                  value={column[def.key as keyof ColumnInfo]}
                  error={errorOf(path)}
                  onChange={(value) => update(index, def.key as keyof ColumnInfo, value)}
                  onBlur={() => onTouch(path)}
                  wide={def.kind === 'url'}
                />
              );
            })}
            <button
              type="button"
              className="link danger"
              onClick={() => remove(index)}
              aria-label={`删除第${index + 1}个栏目`}
            >
              删除
            </button>
          </li>
        ))}
      </ol>
      {errorOf('columns') && (
        <div className="field-error" role="alert">
          {errorOf('columns')}
        </div>
      )}
      <button type="button" onClick={add} disabled={columns.length >= MAX_COLUMNS}>
        添加栏目
      </button>
    </fieldset>
  );
}
