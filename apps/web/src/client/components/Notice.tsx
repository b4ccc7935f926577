// The page's message area: results of import, export and generation, and the list of forms
// that kept a package from being made.
export interface NoticeContent {
  tone: 'info' | 'success' | 'error';
  title: string;
  lines?: string[];
  /** Forms to fix, each with a button that opens it. */
  fixes?: { id: string; name: string; problems: string[] }[];
}

interface Props {
  notice: NoticeContent | null;
  onOpen(id: string): void;
  onClose(): void;
}

export function Notice({ notice, onOpen, onClose }: Props) {
  if (!notice) return <div role="status" aria-live="polite" className="visually-hidden" />;
  return (
    <div
      className={`notice notice-${notice.tone}`}
      role={notice.tone === 'error' ? 'alert' : 'status'}
      aria-live="polite"
      data-testid="notice"
    >
      <div className="notice-head">
        <strong>{notice.title}</strong>
        <button type="button" className="link" onClick={onClose} aria-label="关闭提示">
          关闭
        </button>
      </div>
      {notice.lines && notice.lines.length > 0 && (
        <ul>
          {notice.lines.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
      )}
      {notice.fixes?.map((fix) => (
        <div className="fix" key={fix.id}>
          <div>
            《{fix.name}》{' '}
            <button type="button" onClick={() => onOpen(fix.id)}>
              去修改
            </button>
          </div>
          <ul>
            {fix.problems.map((problem, index) => (
              <li key={index}>{problem}</li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
