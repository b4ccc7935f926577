// The editor of one 政府网站基本信息表. It validates with the shared validator on every
// keystroke; a field shows its error once the user has touched it (or asked to see all),
// so a new blank form does not open as a wall of red.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ColumnInfo, SiteForm, toIsoWithOffset, validateForm } from '@app/forms';
import type { SaveState } from '../state/use-drafts';
import { FormFields } from './FormFields';

interface Props {
  form: SiteForm;
  saveState: SaveState;
  showAllErrors: boolean;
  onChange(form: SiteForm): void;
  onBack(): void;
}

const SAVE_TEXT: Record<SaveState, string> = {
  loading: '正在读取草稿…',
  saving: '正在保存…',
  saved: '草稿已保存在本机',
  failed: '保存失败：浏览器不允许保存，请“导出数据”备份',
};

export function FormEditor({ form, saveState, showAllErrors, onChange, onBack }: Props) {
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [showAll, setShowAll] = useState(showAllErrors);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const errors = useMemo(() => validateForm(form).errors, [form]);
  const messages = useMemo(() => new Map(errors.map((error) => [error.field, error.message])), [errors]);
  const errorOf = (path: string) => (showAll || touched.has(path) ? messages.get(path) : undefined);
  const touch = (path: string) => setTouched((current) => (current.has(path) ? current : new Set(current).add(path)));

  const update = (change: Partial<SiteForm>, path?: string) => {
    if (path) touch(path);
    onChange({ ...form, ...change, updatedAt: toIsoWithOffset(new Date()) });
  };
  const setField = (section: string, key: string, value: string) => {
    const values = (form as unknown as Record<string, Record<string, string>>)[section];
    update({ [section]: { ...values, [key]: value } } as Partial<SiteForm>, `${section}.${key}`);
  };

  return (
    <section aria-labelledby="editor-title">
      <div className="editor-head">
        <button type="button" onClick={onBack}>
          ← 返回列表
        </button>
        <h2 id="editor-title" ref={title} tabIndex={-1}>
          {form.site.siteName.trim() || '未命名网站'}
        </h2>
        <span className={`save-state save-${saveState}`} role="status">
          {SAVE_TEXT[saveState]}
        </span>
      </div>
      <p className="muted">
        表单编号：{form.id}（新建时自动生成。一个网站一张表、一个编号，请不要用这张表填写其他网站）
      </p>
      <div className={errors.length === 0 ? 'summary ok' : 'summary bad'} role="status" aria-live="polite">
        {errors.length === 0 ? '检查通过，可以生成上报文件' : `还有${errors.length}处需要填写或修改`}
        {errors.length > 0 && !showAll && (
          <button type="button" className="link" onClick={() => setShowAll(true)}>
            显示全部错误
          </button>
        )}
      </div>
      <FormFields
        form={form}
        errorOf={errorOf}
        onField={setField}
        onColumns={(columns: ColumnInfo[]) => update({ columns })}
        onTouch={touch}
      />
      <div className="editor-foot">
        <button type="button" onClick={onBack}>
          完成，返回列表
        </button>
      </div>
    </section>
  );
}
