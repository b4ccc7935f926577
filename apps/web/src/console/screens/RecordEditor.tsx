// 修改 a record in the console (owner only, while it is 未提交 or 已退回 back at the owner):
// the offline client's own field and 栏目 components, the shared validator on every
// keystroke, and PUT /forms/:id, which checks the same rules again on the server.
// With `change` it is 申请变更 of an approved record: it starts from the pending change (if one
// came back) or the approved content and files POST /forms/:id/change-request instead.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ColumnInfo, SiteForm, toIsoWithOffset, validateForm } from '@app/forms';
import { FormFields } from '../../client/components/FormFields';
import { ApiError, api, get } from '../api';
import { go } from '../router';
import { Busy, Dialog, ErrorNote, useAction, useLoad } from '../ui';
import { LastReturn, ReturnReason } from './RecordDetail';

const CONTENT_KEYS = ['id', 'type', 'schemaVersion', 'updatedAt', 'site', 'principal', 'contact', 'columns'] as const;

export function RecordEditor({ id, change = false }: { id: string; change?: boolean }) {
  const record = useLoad(() => get<Record<string, unknown>>(`/forms/${id}`), [id]);
  if (record.error) return <ErrorNote message={record.error} />;
  if (!record.data) return <Busy />;
  const pending = (record.data.pendingRequest as { kind: string; content?: Record<string, unknown> } | null) ?? null;
  const source = change && pending?.kind === 'CHANGE' && pending.content ? pending.content : record.data;
  const form = Object.fromEntries(CONTENT_KEYS.map((key) => [key, source[key]])) as unknown as SiteForm;
  return (
    <Editor
      initial={form}
      change={change}
      lastReturn={(record.data.lastReturn as LastReturn | null | undefined) ?? null}
    />
  );
}

const LEAVE_QUESTION = '修改尚未保存，离开后将丢失。确定离开吗？';

function Editor({
  initial,
  change,
  lastReturn,
}: {
  initial: SiteForm;
  change: boolean;
  lastReturn: LastReturn | null;
}) {
  const [form, setForm] = useState(initial);
  const [reason, setReason] = useState('');
  const dirty = form !== initial;
  const saving = useRef(false);
  // Where a link or 返回 would have gone while changes were unsaved: the dialog asks first.
  const [leaving, setLeaving] = useState<string | null>(null);
  // Unsaved changes: the browser asks before a reload or close, the console (its own dialog, not
  // confirm(), which managed browsers may block) before a link or 返回.
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (event: BeforeUnloadEvent) => {
      if (saving.current) return;
      event.preventDefault();
      event.returnValue = LEAVE_QUESTION;
    };
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href]');
      if (!link || saving.current) return;
      event.preventDefault();
      setLeaving(link.getAttribute('href'));
    };
    window.addEventListener('beforeunload', onUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty]);
  const [serverErrors, setServerErrors] = useState<string[]>([]);
  const errors = useMemo(() => validateForm(form).errors, [form]);
  const messages = useMemo(() => new Map(errors.map((error) => [error.field, error.message])), [errors]);
  const action = useAction();
  const errorOf = (path: string) => messages.get(path);
  const back = () => {
    if (dirty) setLeaving(`#/records/${form.id}`);
    else go(`records/${form.id}`);
  };
  const leave = () => {
    saving.current = true;
    location.assign(leaving!);
  };

  const update = (change: Partial<SiteForm>) => setForm({ ...form, ...change, updatedAt: toIsoWithOffset(new Date()) });
  const setField = (section: string, key: string, value: string) => {
    const values = (form as unknown as Record<string, Record<string, string>>)[section];
    update({ [section]: { ...values, [key]: value } } as Partial<SiteForm>);
  };
  const save = () =>
    action.run(async () => {
      setServerErrors([]);
      try {
        if (change) await api('POST', `/forms/${form.id}/change-request`, { ...form, reason: reason.trim() });
        else await api('PUT', `/forms/${form.id}`, form);
      } catch (error) {
        if (error instanceof ApiError && Array.isArray(error.details))
          setServerErrors(
            error.details.map(
              (d: { label?: string; field: string; message: string }) => `${d.label ?? d.field}：${d.message}`,
            ),
          );
        throw error;
      }
      saving.current = true;
      go(`records/${form.id}`, '已保存');
    });

  return (
    <section aria-labelledby="editor-title">
      <div className="editor-head">
        <button type="button" onClick={back}>
          ← 返回记录
        </button>
        <h2 id="editor-title">
          {change ? '申请变更' : '修改'}：{form.site.siteName.trim() || '未命名网站'}
        </h2>
        <button className="primary" disabled={errors.length > 0 || action.busy} onClick={save}>
          {action.busy ? '正在保存…' : change ? '提交变更申请' : '保存'}
        </button>
      </div>
      {lastReturn && <ReturnReason last={lastReturn} />}
      {change && (
        <>
          <p className="notice" role="note">
            变更申请按审核流程逐级审核，终审通过后生效；生效前仍以已审核的内容为准，网站标识码不变。
          </p>
          <label className="row">
            <span>变更说明（可选）</span>
            <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </label>
        </>
      )}
      <div className={errors.length === 0 ? 'summary ok' : 'summary bad'} role="status" aria-live="polite">
        {errors.length === 0 ? '检查通过，可以保存' : `还有${errors.length}处需要填写或修改`}
      </div>
      <ErrorNote message={action.error} />
      {serverErrors.length > 0 && (
        <ul className="bad">
          {serverErrors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      <FormFields
        form={form}
        errorOf={errorOf}
        onField={setField}
        onColumns={(columns: ColumnInfo[]) => update({ columns })}
        onTouch={() => undefined}
      />
      {leaving && (
        <Dialog title="放弃未保存的修改？" onClose={() => setLeaving(null)}>
          <p data-testid="leave-question">{LEAVE_QUESTION}</p>
          <div className="actions">
            <button data-autofocus className="primary" onClick={() => setLeaving(null)}>
              继续修改
            </button>
            <button className="danger" onClick={leave}>
              放弃修改并离开
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
