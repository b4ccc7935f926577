import { FormEvent, useState } from 'react';
import { post } from '../api';
import { Dialog, ErrorNote, useAction } from '../ui';

const FIELDS = [
  ['siteName', '网站名称'],
  ['homepageUrl', '首页网址'],
  ['personName', '负责人或联系人姓名'],
  ['email', '其登记的电子邮箱'],
] as const;

/** Public: the answer is the same whether or not anything matched (the server decides). */
export function SiteCodeRecovery({ onClose }: { onClose: () => void }) {
  const [values, setValues] = useState<Record<string, string>>({
    siteName: '',
    homepageUrl: '',
    personName: '',
    email: '',
  });
  const [sent, setSent] = useState(false);
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await post('/public/site-code-recovery', values);
      setSent(true);
    });
  };

  return (
    <Dialog title="网站标识码找回" onClose={onClose}>
      {sent ? (
        <>
          <div className="notice notice-success" role="status">
            已受理。如填写的信息与登记信息一致，网站标识码和校验码将发送到该网站登记的负责人和联系人电子邮箱。
          </div>
          <div className="actions">
            <button className="primary" onClick={onClose}>
              关闭
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit}>
          <p className="muted">填写网站已登记的信息，系统核对后把标识码发送到登记的邮箱。</p>
          {FIELDS.map(([key, label]) => (
            <label className="row" key={key}>
              <span>{label}</span>
              <input value={values[key]} required onChange={(e) => setValues({ ...values, [key]: e.target.value })} />
            </label>
          ))}
          <ErrorNote message={action.error} />
          <div className="actions">
            <button className="primary" type="submit" disabled={action.busy}>
              {action.busy ? '正在提交…' : '提交'}
            </button>
            <button type="button" onClick={onClose}>
              取消
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
