// 网站登录: a site signs in with its 标识码 and 校验码 (mailed on approval) to fill in its own
// 自查评分. The server's Chinese answers are shown as they are: wrong codes (one message for
// both), 423 after five wrong codes on this computer, 403 for a 关停/注销 site; a malformed
// code gets the server's message under its field.
import { FormEvent, Fragment, useState } from 'react';
import { api, ApiError } from '../api';
import { SiteLoginReply, siteSession } from '../site-session';
import { ErrorNote, useAction } from '../ui';

const FIELDS = [
  { key: 'siteCode', label: '网站标识码', placeholder: '10位，如 1303000001', autoComplete: 'username', type: 'text' },
  {
    key: 'checkCode',
    label: '校验码',
    placeholder: '6位字母或数字',
    autoComplete: 'current-password',
    type: 'password',
  },
] as const;

export function SiteLogin({
  siteCode = '',
  onLoggedIn,
  onRecover,
}: {
  /** Filled in already (the site whose session expired): only the 校验码 is typed. */
  siteCode?: string;
  onLoggedIn: () => void;
  onRecover: () => void;
}) {
  const [values, setValues] = useState({ siteCode, checkCode: '' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      setFieldErrors({});
      const body = { siteCode: values.siteCode.trim(), checkCode: values.checkCode.trim() };
      try {
        siteSession.start(await api<SiteLoginReply>('POST', '/site-auth/login', body));
      } catch (error) {
        if (error instanceof ApiError && Array.isArray(error.details)) {
          const named = (error.details as Array<{ field?: string; message?: string }>).filter(
            (d) => d.field && d.message,
          );
          if (named.length) {
            setFieldErrors(Object.fromEntries(named.map((d) => [d.field!, d.message!])));
            throw new ApiError(error.status, error.code, '请按提示修改后再登录');
          }
        }
        throw error;
      }
      onLoggedIn();
    });
  };

  return (
    <form onSubmit={submit} aria-label="网站登录">
      <p className="muted">网站审核通过后，通知中的网站标识码和校验码合起来是本网站自查评分的登录凭据。</p>
      {FIELDS.map((field) => (
        <Fragment key={field.key}>
          <label className="row">
            <span>{field.label}</span>
            <input
              type={field.type}
              autoFocus={field.key === (siteCode ? 'checkCode' : 'siteCode')}
              value={values[field.key]}
              onChange={(e) => setValues({ ...values, [field.key]: e.target.value })}
              autoComplete={field.autoComplete}
              placeholder={field.placeholder}
              required
              spellCheck={false}
              aria-invalid={fieldErrors[field.key] ? true : undefined}
              aria-describedby={fieldErrors[field.key] ? `site-login-${field.key}-error` : undefined}
            />
          </label>
          {fieldErrors[field.key] && (
            <p className="field-error" id={`site-login-${field.key}-error`}>
              {fieldErrors[field.key]}
            </p>
          )}
        </Fragment>
      ))}
      <ErrorNote message={action.error} />
      <div className="actions">
        <button className="primary" type="submit" disabled={action.busy}>
          {action.busy ? '正在登录…' : '登录'}
        </button>
        <button type="button" className="link" onClick={onRecover}>
          忘记校验码（标识码找回）
        </button>
      </div>
    </form>
  );
}
