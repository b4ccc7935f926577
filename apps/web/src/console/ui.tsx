// Small shared pieces: loading state with a delayed spinner, error notice, modal dialog, tabs, pager.
import { KeyboardEvent as ReactKeyboardEvent, ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { DAY_FORMAT_MESSAGE, errorText, parseDay } from './format';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change; `reload()` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error: errorText(error), loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload: useCallback(() => setTick((t) => t + 1), []) };
}

/** Shown only after half a second, so quick answers do not flicker. */
export function Busy({ label = '正在加载…' }: { label?: string }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), 500);
    return () => clearTimeout(timer);
  }, []);
  return shown ? (
    <p className="busy" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  ) : null;
}

export function ErrorNote({ message }: { message: string | null }) {
  return message ? (
    <div className="notice notice-error" role="alert" data-testid="error">
      {message}
    </div>
  ) : null;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

// What had the focus last: a button that opened a dialog may have been disabled (and so lost
// the focus) while the dialog's content loaded, yet the focus belongs back on it afterwards.
let lastFocused: HTMLElement | null = null;
if (typeof document !== 'undefined') {
  document.addEventListener('focusin', (event) => {
    if (event.target instanceof HTMLElement) lastFocused = event.target;
  });
}

/**
 * A modal dialog as keyboard users expect it: the first field (or the element marked
 * `data-autofocus`, or the primary button) takes the focus, Tab and Shift+Tab stay inside,
 * Esc closes, and the focus goes back to what opened it.
 */
export function Dialog({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  // The latest onClose without re-running the effect (callers pass a new arrow on every render,
  // and re-running would steal the focus back to the first field while the user types).
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = lastFocused;
    const dialog = box.current!;
    const focusable = () =>
      [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (el) => el.offsetParent !== null || el === document.activeElement,
      );
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('input, textarea, select, button.primary');
    (first ?? focusable()[0] ?? dialog).focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = focusable();
      if (items.length === 0) return event.preventDefault();
      const head = items[0];
      const tail = items[items.length - 1];
      const active = document.activeElement;
      const outside = !dialog.contains(active);
      if (event.shiftKey && (active === head || outside)) {
        event.preventDefault();
        tail.focus();
      } else if (!event.shiftKey && (active === tail || outside)) {
        event.preventDefault();
        head.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={box} tabIndex={-1}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/**
 * A tab list per the WAI-ARIA tabs pattern: one tab in the Tab order (the selected one),
 * ←/→ move to and open the previous/next tab, Home/End the first/last.
 */
export function Tabs<T extends string>({
  id,
  label,
  tabs,
  labels,
  selected,
  onSelect,
  children,
  counts,
}: {
  id: string;
  label: string;
  tabs: readonly T[];
  labels: Record<string, string>;
  /** A number beside each tab's name (its name stays the label: the count is described, not named). */
  counts?: Partial<Record<T, number>> | null;
  selected: T;
  onSelect: (tab: T) => void;
  children: ReactNode;
}) {
  const list = useRef<HTMLDivElement>(null);
  const onKey = (event: ReactKeyboardEvent) => {
    const index = tabs.indexOf(selected);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length];
    onSelect(tab);
    list.current?.querySelector<HTMLElement>(`#${id}-tab-${tab}`)?.focus();
  };
  return (
    <>
      <div className="tabs" role="tablist" aria-label={label} ref={list} onKeyDown={onKey}>
        {tabs.map((tab) => (
          <button
            key={tab}
            id={`${id}-tab-${tab}`}
            role="tab"
            aria-selected={tab === selected}
            aria-controls={`${id}-panel`}
            tabIndex={tab === selected ? 0 : -1}
            onClick={() => onSelect(tab)}
            aria-description={counts?.[tab] !== undefined ? `共 ${counts[tab]} 条` : undefined}
          >
            {labels[tab]}
            {counts?.[tab] !== undefined && (
              <span className="tab-count" aria-hidden="true" data-testid={`${id}-count-${tab}`}>
                {counts[tab]}
              </span>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${selected}`}>
        {children}
      </div>
    </>
  );
}

export function Pager({
  page,
  pageSize,
  total,
  totalExact = true,
  hasNext,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  /** false: `total` is only a lower bound (a search with very many matches). */
  totalExact?: boolean;
  /** Whether a next page exists, when the list says so itself (keyset paging). */
  hasNext?: boolean;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  // Any page can be opened directly where pages are numbered (not with keyset paging, hasNext given).
  const jumps = hasNext === undefined && totalExact && pages > 1;
  return (
    <nav className="pager" aria-label="分页">
      <span className="muted">
        {totalExact ? `共 ${total} 条，第 ${page} 页 / 共 ${pages} 页` : `超过 ${total} 条，第 ${page} 页`}
      </span>
      <button disabled={page <= 1} onClick={() => onPage(page - 1)}>
        上一页
      </button>
      <button disabled={!(hasNext ?? page < pages)} onClick={() => onPage(page + 1)}>
        下一页
      </button>
      {jumps && <PageJump page={page} pages={pages} onPage={onPage} />}
    </nav>
  );
}

function PageJump({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const [text, setText] = useState(String(page));
  useEffect(() => setText(String(page)), [page]);
  const wanted = Number(text);
  const valid = Number.isInteger(wanted) && wanted >= 1 && wanted <= pages;
  return (
    <form
      className="page-jump"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onPage(wanted);
      }}
    >
      第{' '}
      <input
        aria-label="页码"
        inputMode="numeric"
        size={4}
        value={text}
        onChange={(e) => setText(e.target.value.trim())}
      />{' '}
      页 / 共 {pages} 页{' '}
      <button type="submit" disabled={!valid}>
        跳转
      </button>
    </form>
  );
}

/**
 * A calendar day typed as the console writes dates, 2026-12-01, whatever the browser's language
 * (a native date field shows 11/26/2026 in an English browser). What clerks type out of habit
 * (2026/12/1, 2026年12月1日) becomes 2026-12-01 when the field is left; anything else is said in
 * Chinese beside the field while it is not being typed in, or while `checked` (a submit was
 * refused). The value is the text as typed: callers read it with parseDay().
 */
export function DateInput({
  label,
  value,
  onChange,
  checked = false,
}: {
  /** The field's accessible name, where no <label> around it names it. */
  label?: string;
  value: string;
  onChange: (text: string) => void;
  checked?: boolean;
}) {
  const [left, setLeft] = useState(false);
  const errorId = `${useId()}-error`;
  const day = parseDay(value);
  const wrong = value.trim() !== '' && day === null && (left || checked);
  return (
    <span className={wrong ? 'date-input field-invalid' : 'date-input'}>
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        aria-label={label}
        placeholder="2026-12-01"
        pattern="\d{4}-\d{2}-\d{2}"
        size={11}
        maxLength={16}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onFocus={() => setLeft(false)}
        onBlur={() => {
          setLeft(true);
          if (day !== null && day !== value) onChange(day);
        }}
        aria-invalid={wrong || undefined}
        aria-describedby={wrong ? errorId : undefined}
      />
      {wrong && (
        <span className="field-error" id={errorId} role="alert">
          {DAY_FORMAT_MESSAGE}
        </span>
      )}
    </span>
  );
}

/** A button that runs an async action once, shows progress, and reports failure beside it. */
export function useAction(): {
  busy: boolean;
  error: string | null;
  run: (action: () => Promise<void>) => Promise<void>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}
