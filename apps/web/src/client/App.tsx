// The offline client: the list of the unit's forms, the editor, and the toolbar. Needs no
// installation and no network; drafts stay in this browser until exported.
import { ChangeEvent, useRef, useState } from 'react';
import { FormEditor } from './components/FormEditor';
import { FormList } from './components/FormList';
import { Notice, NoticeContent } from './components/Notice';
import { useActions } from './state/use-actions';
import { useDrafts } from './state/use-drafts';

type View = { kind: 'list' } | { kind: 'edit'; id: string; showAll: boolean };

/** Where this page's drafts are: the browser keeps them per address (a file, or the site's /client). */
function draftsPlace(): string {
  if (location.protocol === 'file:')
    return '本浏览器中，属于这个下载到本机的离线工具文件（按文件所在位置区分，移动或改名文件后看不到原来的草稿）';
  return `本浏览器中，属于网页版 ${location.host}/client`;
}

export function App() {
  const drafts = useDrafts();
  const [view, setView] = useState<View>({ kind: 'list' });
  const [notice, setNotice] = useState<NoticeContent | null>(null);
  const [excluded, setExcluded] = useState<Set<string>>(() => new Set());
  const excelInput = useRef<HTMLInputElement>(null);
  const returning = useRef(false);
  const dataInput = useRef<HTMLInputElement>(null);
  const open = (id: string, showAll: boolean) => {
    setNotice(null);
    setView({ kind: 'edit', id, showAll });
  };
  const actions = useActions(drafts, excluded, setNotice, open);
  const editing = view.kind === 'edit' ? drafts.forms.find((form) => form.id === view.id) : undefined;
  const toggle = (id: string) =>
    setExcluded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const chosen = (handle: (file: File) => Promise<void>) => (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) void handle(file);
  };

  return (
    <div className="page">
      <header className="top">
        <h1>政府网站基本信息 离线填报工具</h1>
        <p>无需安装，不需联网。填写的内容只保存在本机浏览器中，请定期“导出数据”备份。</p>
      </header>
      <div className="notice notice-info" role="note" data-testid="drafts-where">
        <p>
          <strong>草稿保存在哪里：</strong>
          {draftsPlace()}
          。同一台电脑上，下载到本机的离线工具文件与网页版（/client）各有各的草稿，互相看不到；换用另一种方式或另一个浏览器、另一台电脑前，请先“导出数据”，再在那边“导入数据”。
        </p>
        <button type="button" className="primary" onClick={() => void actions.exportData()}>
          导出数据（备份全部草稿）
        </button>
      </div>
      {!drafts.persistent && (
        <div className="notice notice-error" role="alert">
          此浏览器不允许保存草稿：关闭页面后内容会丢失，请及时“导出数据”。
        </div>
      )}
      <main>
        {editing && view.kind === 'edit' ? (
          <FormEditor
            key={editing.id}
            form={editing}
            saveState={drafts.saveState}
            showAllErrors={view.showAll}
            onChange={(form) => drafts.put([form])}
            onBack={() => {
              returning.current = true;
              setView({ kind: 'list' });
            }}
          />
        ) : (
          <section aria-labelledby="list-title">
            <h2
              id="list-title"
              tabIndex={-1}
              ref={(element) => {
                if (element && returning.current) {
                  returning.current = false;
                  element.focus();
                }
              }}
            >
              本单位的网站信息表
            </h2>
            <div className="toolbar" role="toolbar" aria-label="操作">
              <button type="button" className="primary" onClick={actions.create}>
                新建网站信息表（每个网站一张）
              </button>
              <button type="button" onClick={() => excelInput.current?.click()}>
                导入Excel模板
              </button>
              <button type="button" onClick={() => void actions.downloadTemplate()}>
                下载空白Excel模板
              </button>
              <span className="separator" />
              <button type="button" onClick={() => void actions.exportData()}>
                导出数据
              </button>
              <button type="button" onClick={() => dataInput.current?.click()}>
                导入数据
              </button>
              <span className="separator" />
              <button type="button" className="primary" onClick={() => void actions.generate()}>
                生成上报文件
              </button>
              <input
                ref={excelInput}
                type="file"
                accept=".xlsx,.xls,.et"
                hidden
                aria-label="选择Excel模板文件"
                onChange={chosen(actions.importExcel)}
              />
              <input
                ref={dataInput}
                type="file"
                accept=".json"
                hidden
                aria-label="选择导出的数据文件"
                onChange={chosen(actions.importData)}
              />
            </div>
            <p className="hint">
              一个网站填写一张表。请不要把几个网站填进同一张表：一张表只对应一个网站，后填的内容会覆盖先填的。
            </p>
            <Notice notice={notice} onOpen={(id) => open(id, true)} onClose={() => setNotice(null)} />
            <FormList
              forms={drafts.forms}
              excluded={excluded}
              onToggle={toggle}
              onEdit={(id) => open(id, true)}
              onDelete={drafts.remove}
            />
            <p className="muted status-line" role="status">
              {drafts.saveState === 'loading'
                ? '正在读取草稿…'
                : `共${drafts.forms.length}张表，已勾选${drafts.forms.filter((form) => !excluded.has(form.id)).length}张`}
            </p>
          </section>
        )}
      </main>
    </div>
  );
}
