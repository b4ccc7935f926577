import { FormEvent, useState } from 'react';
import { api } from '../api';
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
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void action.run(async () => {
      await api('PUT', `/org-units/${me.orgUnitId}/contact`, values);
      setSaved(true);
    });
  };
  return (
    <section style={{ maxWidth: 520 }}>
      <h2>本单位联系人信息</h2>
      <p className="muted">技术支持重置密码时会核对这些信息，请保持准确。</p>
      <form onSubmit={submit}>
        {FIELDS.map(([key, label]) => (
          <label className="row" key={key}>
            <span>{label}</span>
            <input
              value={values[key] ?? ''}
              onChange={(e) => setValues({ ...values, [key]: e.target.value })}
              required={key !== 'officePhone' && key !== 'mobile'}
            />
          </label>
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
