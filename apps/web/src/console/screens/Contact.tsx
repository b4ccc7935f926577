import { FormEvent, Fragment, useState } from 'react';
import { api, ApiError } from '../api';
import { Me } from '../session';
import { ErrorNote, useAction } from '../ui';

const FIELDS = [
  ['name', '联系人姓名'],
  ['department', '所在部门'],
  ['officePhone', '办公电话'],
  ['mobile', '手机'],
  ['email', '电子邮箱'],
] as const;

export function Contact({ me }: { me: Me }) {
  const [values, setValues] = useState<Record<string, string>>(() => ({
    name: '',
    department: '',
    officePhone: '',
    mobile: '',
    email: '',
    ...(me.orgUnit?.contact ?? {}),
  }));
  const [saved, setSaved] = useState(false);
  // The server names each field it refuses: its message goes beside that field.
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void action.run(async () => {
      setFieldErrors({});
      try {
        await api('PUT', `/org-units/${me.orgUnitId}/contact`, values);
      } catch (error) {
        if (error instanceof ApiError && Array.isArray(error.details)) {
          const named = error.details as Array<{ field: string; message: string }>;
          setFieldErrors(Object.fromEntries(named.map((d) => [d.field, d.message])));
          throw new ApiError(error.status, error.code, `联系人信息有${named.length}处需要修改，请看各项下方的提示`);
        }
        throw error;
      }
      setSaved(true);
    });
  };
  return (
    <section style={{ maxWidth: 520 }}>
      <h2>本单位联系人信息</h2>
      <p className="muted">技术支持重置密码时会核对这些信息，请保持准确。</p>
      <form onSubmit={submit}>
        {FIELDS.map(([key, label]) => (
          <Fragment key={key}>
            <label className="row">
              <span>{label}</span>
              <input
                value={values[key] ?? ''}
                onChange={(e) => setValues({ ...values, [key]: e.target.value })}
                required={key !== 'officePhone' && key !== 'mobile'}
                aria-invalid={fieldErrors[key] ? true : undefined}
                aria-describedby={fieldErrors[key] ? `contact-${key}-error` : undefined}
              />
            </label>
            {fieldErrors[key] && (
              <p className="field-error" id={`contact-${key}-error`} data-testid={`contact-${key}-error`}>
                {fieldErrors[key]}
              </p>
            )}
          </Fragment>
        ))}
        <ErrorNote message={action.error} />
        {saved && (
          <div className="notice notice-success" role="status">
            已保存
          </div>
        )}
        <div className="actions">
          <button className="primary" type="submit" disabled={action.busy}>
            {action.busy ? '正在保存…' : '保存'}
          </button>
        </div>
      </form>
    </section>
  );
}
