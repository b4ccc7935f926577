// 自查评分 of a site signed in with its codes: the current score sheet (the five 单项否决 as
// yes/no, then each group's items with their rule, deduction rule and maximum), an answer per
// item as its deduction kind asks (a count, a measure, or yes/no), a note, an evidence link and
// evidence files (uploaded at once, apart from 保存草稿);
// 保存草稿, 提交 behind a dialog, then the result (合格/不合格, score, vetoes, per-item
// deductions), read-only. The server checks every answer: its Chinese message goes beside the
// item it names (`details.key`, or `details.keys` for what is still missing on submit).
import { Fragment, ReactNode, useEffect, useRef, useState } from 'react';
import type {
  AnswerEntry,
  AssessmentResult,
  EvidenceByKey,
  EvidenceFile,
  ScoreSheet,
  SelfAssessmentView,
  SheetItem,
} from '../assessment-types';
import { EvidenceFiles } from './assessment/EvidenceFiles';
import { api, ApiError, get, post } from '../api';
import { beijingTime } from '../format';
import { LOCAL_DRAFT_PREFIX } from '../site-session';
import { Busy, Dialog, ErrorNote, useAction, useLoad } from '../ui';

export type { SelfAssessmentView };

export const selfAssessmentPath = (siteCode: string) => `/sites/${encodeURIComponent(siteCode)}/self-assessment`;

export function SelfAssessment({ siteCode }: { siteCode: string }) {
  const loaded = useLoad(() => get<SelfAssessmentView>(selfAssessmentPath(siteCode)), [siteCode]);
  // The latest answer of a save or submit (no second request needed).
  const [view, setView] = useState<SelfAssessmentView | null>(null);
  const shown = view ?? loaded.data;
  if (!shown) return loaded.error ? <ErrorNote message={loaded.error} /> : <Busy />;
  return (
    <section>
      <h2>自查评分</h2>
      <SheetHeading view={shown} />
      {shown.status === 'SUBMITTED' ? (
        <>
          <div className="notice notice-info" role="note">
            自查评分已提交，不能再修改。如需更正，请联系主办单位退回后重新填写。
          </div>
          {shown.result && <ResultSummary result={shown.result} sheet={shown.sheet} />}
          <AnswersReadOnly view={shown} />
        </>
      ) : (
        <AssessmentForm view={shown} onChanged={setView} />
      )}
    </section>
  );
}

/** The sheet's title and version, the pass mark, the state and its times. */
export function SheetHeading({ view }: { view: SelfAssessmentView }) {
  const sheet = view.sheet;
  return (
    <>
      <dl className="fields">
        <dt>网站</dt>
        <dd>
          {view.siteName}（{view.siteCode}）
        </dd>
        <dt>状态</dt>
        <dd data-testid="assessment-status">{view.statusLabel}</dd>
        <dt>评分表</dt>
        <dd>
          {sheet.title}（第{sheet.version}版），满分 {sheet.totalPoints} 分，{sheet.passScore}{' '}
          分及以上且无单项否决为合格
        </dd>
        {view.submittedAt ? (
          <>
            <dt>提交时间</dt>
            <dd>{beijingTime(view.submittedAt)}</dd>
          </>
        ) : view.updatedAt ? (
          <>
            <dt>最近保存</dt>
            <dd>{beijingTime(view.updatedAt)}</dd>
          </>
        ) : null}
      </dl>
      <details className="sheet-source">
        <summary>评分表来源说明</summary>
        <p className="muted">{sheet.source}</p>
      </details>
    </>
  );
}

/** The verdict, the score, the vetoes that decided and each item's deduction. */
export function ResultSummary({ result, sheet }: { result: AssessmentResult; sheet: ScoreSheet }) {
  return (
    <div className={`assess-result verdict-${result.verdict}`} data-testid="assessment-result">
      <p>
        结论：<strong data-testid="assessment-verdict">{result.verdictLabel}</strong>
        {result.score !== null ? (
          <>
            {' '}
            · 得分 <strong data-testid="assessment-score">{result.score}</strong> / {sheet.totalPoints}（合格线{' '}
            {sheet.passScore}）
          </>
        ) : (
          ' · 触发单项否决，不再计分'
        )}
      </p>
      {result.vetoes.length > 0 && (
        <p data-testid="assessment-vetoes">触发的单项否决：{result.vetoes.map((veto) => veto.name).join('、')}</p>
      )}
      {result.deductions.length > 0 && (
        <table className="forms" aria-label="各项扣分">
          <thead>
            <tr>
              <th>一级指标</th>
              <th>二级指标</th>
              <th>填报</th>
              <th className="num">满分</th>
              <th className="num">扣分</th>
            </tr>
          </thead>
          <tbody>
            {result.deductions.map((item) => (
              <tr key={item.key}>
                <td>{item.group}</td>
                <td>{item.name}</td>
                <td>{valueText(item.value, findItem(sheet, item.key))}</td>
                <td className="num">{item.maxPoints}</td>
                <td className="num">{item.deducted}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        按评分表 {result.sheetId} 第{result.sheetVersion}版计算。
      </p>
    </div>
  );
}

/** Every answer as given, with its note, evidence link and files (a submitted one, or a draft for a unit). */
export function AnswersReadOnly({ view }: { view: SelfAssessmentView }) {
  const { sheet, answers, evidence } = view;
  return (
    <table className="forms answers" aria-label="自查填报内容">
      <thead>
        <tr>
          <th>指标</th>
          <th>填报</th>
          <th>说明</th>
          <th>证据</th>
        </tr>
      </thead>
      <tbody>
        <tr className="group-row">
          <td colSpan={4}>单项否决</td>
        </tr>
        {sheet.vetoes.map((veto) => (
          <AnswerRow
            key={veto.key}
            id={veto.key}
            name={veto.name}
            entry={answers.vetoes[veto.key]}
            files={evidence[veto.key]}
          />
        ))}
        {sheet.groups.map((group) => (
          <Fragment key={group.key}>
            <tr className="group-row">
              <td colSpan={4}>{group.name}</td>
            </tr>
            {group.items.map((item) => (
              <AnswerRow
                key={item.key}
                id={item.key}
                name={item.name}
                entry={answers.items[item.key]}
                item={item}
                files={evidence[item.key]}
              />
            ))}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

function AnswerRow({
  id,
  name,
  entry,
  item,
  files = [],
}: {
  id: string;
  name: string;
  entry?: AnswerEntry;
  item?: SheetItem;
  files?: EvidenceFile[];
}) {
  return (
    <tr>
      <td>{name}</td>
      <td>{entry ? valueText(entry.value, item) : <span className="muted">未填写</span>}</td>
      <td>{entry?.note ?? ''}</td>
      <td>
        {entry?.evidenceUrl ? (
          <a href={entry.evidenceUrl} target="_blank" rel="noopener noreferrer">
            {entry.evidenceUrl}
          </a>
        ) : (
          ''
        )}
        <EvidenceFiles name={name} itemKey={id} files={files} />
      </td>
    </tr>
  );
}

function findItem(sheet: ScoreSheet, key: string): SheetItem | undefined {
  return sheet.groups.flatMap((group) => group.items).find((item) => item.key === key);
}

function valueText(value: number | boolean, item?: SheetItem): string {
  if (typeof value === 'boolean') return value ? '是' : '否';
  const unit = item && item.deduction.kind !== 'flag' ? item.deduction.unit : '';
  return unit === '%' || !unit ? `${value}${unit}` : `${value} ${unit}`;
}

// ---- the form ----

/** What a field holds while typed: '' (not answered), 'yes'/'no', or the number as typed. */
interface EntryDraft {
  value: string;
  note: string;
  evidenceUrl: string;
}
type Part = 'vetoes' | 'items';
type Drafts = Record<Part, Record<string, EntryDraft>>;

function toDraft(entry: AnswerEntry | undefined): EntryDraft {
  if (!entry) return { value: '', note: '', evidenceUrl: '' };
  const value = typeof entry.value === 'boolean' ? (entry.value ? 'yes' : 'no') : String(entry.value);
  return { value, note: entry.note ?? '', evidenceUrl: entry.evidenceUrl ?? '' };
}

function draftsOf(view: SelfAssessmentView): Drafts {
  return {
    vetoes: Object.fromEntries(view.sheet.vetoes.map((veto) => [veto.key, toDraft(view.answers.vetoes[veto.key])])),
    items: Object.fromEntries(
      view.sheet.groups
        .flatMap((group) => group.items)
        .map((item) => [item.key, toDraft(view.answers.items[item.key])]),
    ),
  };
}

/**
 * Unsaved answers are copied to this tab's sessionStorage as they are typed: a site's token
 * lives half an hour and cannot be renewed, so a save after it expired brings the login back,
 * and after logging in again the page offers what was typed instead of losing it. Only a copy
 * made on the state the server still has (same last save) is restored.
 */
interface LocalCopy {
  basedOn: string | null;
  drafts: Drafts;
}
const localKey = (siteCode: string) => LOCAL_DRAFT_PREFIX + siteCode;

function readLocalCopy(view: SelfAssessmentView): Drafts | null {
  try {
    const copy = JSON.parse(sessionStorage.getItem(localKey(view.siteCode)) ?? 'null') as LocalCopy | null;
    if (!copy || copy.basedOn !== view.updatedAt) return null;
    // Only the keys of this sheet, each with its three fields as text.
    const fresh = draftsOf(view);
    for (const part of ['vetoes', 'items'] as const)
      for (const key of Object.keys(fresh[part])) {
        const entry = copy.drafts?.[part]?.[key];
        if (entry && ['value', 'note', 'evidenceUrl'].every((f) => typeof entry[f as keyof EntryDraft] === 'string'))
          fresh[part][key] = { value: entry.value, note: entry.note, evidenceUrl: entry.evidenceUrl };
      }
    return fresh;
  } catch {
    return null;
  }
}

const LEAVE_QUESTION = '自查评分有未保存的填写内容，离开后将丢失。确定离开吗？';

const NUMBER = /^\d+(\.\d+)?$/;

/**
 * The body of PUT: every answered entry. A number not written as one is sent as typed, so the
 * server's message (e.g. 应填写不小于0的整数) is what the site reads beside the field.
 */
function bodyOf(
  drafts: Drafts,
  sheet: ScoreSheet,
): { vetoes: Record<string, unknown>; items: Record<string, unknown> } {
  const kindOf = new Map(sheet.groups.flatMap((group) => group.items).map((item) => [item.key, item.deduction.kind]));
  const pick = (part: Part) =>
    Object.fromEntries(
      Object.entries(drafts[part])
        .filter(([, entry]) => entry.value.trim() !== '')
        .map(([key, entry]) => {
          const text = entry.value.trim();
          const yesNo = part === 'vetoes' || kindOf.get(key) === 'flag';
          const value = yesNo ? text === 'yes' : NUMBER.test(text) ? Number(text) : text;
          return [key, { value, note: entry.note.trim() || null, evidenceUrl: entry.evidenceUrl.trim() || null }];
        }),
    );
  return { vetoes: pick('vetoes'), items: pick('items') };
}

/** What the form itself can tell before asking the server: a note without an answer, a saved answer blanked. */
function localProblems(drafts: Drafts, view: SelfAssessmentView): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const part of ['vetoes', 'items'] as const)
    for (const [key, entry] of Object.entries(drafts[part])) {
      if (entry.value.trim() !== '') continue;
      if (view.answers[part][key]) problems[key] = '已保存的答案不能清空，请填写新的答案';
      else if (entry.note.trim() || entry.evidenceUrl.trim())
        problems[key] = '请先填写答案，说明和证据链接随答案一起保存';
    }
  return problems;
}

function AssessmentForm({
  view,
  onChanged,
}: {
  view: SelfAssessmentView;
  onChanged: (view: SelfAssessmentView) => void;
}) {
  const sheet = view.sheet;
  const [restored] = useState(() => readLocalCopy(view));
  // What the server has: the form is dirty while it differs from this (as typed, not as tidied).
  const [baseline, setBaseline] = useState(() => JSON.stringify(draftsOf(view)));
  const [drafts, setDrafts] = useState<Drafts>(() => restored ?? draftsOf(view));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const dirty = JSON.stringify(drafts) !== baseline;
  const [notice, setNotice] = useState<string | null>(() =>
    restored && JSON.stringify(restored) !== baseline ? '已恢复本页上次未保存的填写内容，请核对后保存草稿' : null,
  );
  const [confirming, setConfirming] = useState(false);
  // Files are kept as they are uploaded or removed (not by 保存草稿).
  const [evidence, setEvidence] = useState<EvidenceByKey>(view.evidence);
  const action = useAction();

  useEffect(() => {
    if (dirty)
      sessionStorage.setItem(
        localKey(view.siteCode),
        JSON.stringify({ basedOn: view.updatedAt, drafts } satisfies LocalCopy),
      );
    else sessionStorage.removeItem(localKey(view.siteCode));
  }, [dirty, drafts, view.siteCode, view.updatedAt]);

  // Unsaved answers: the browser asks before a reload or close, the console's own dialog before a link.
  const leavingOk = useRef(false);
  const [leaving, setLeaving] = useState<string | null>(null);
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (event: BeforeUnloadEvent) => {
      if (leavingOk.current) return;
      event.preventDefault();
      event.returnValue = LEAVE_QUESTION;
    };
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
      if (!link || leavingOk.current) return;
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

  const set = (part: Part, key: string, patch: Partial<EntryDraft>) => {
    setNotice(null);
    setDrafts((current) => ({ ...current, [part]: { ...current[part], [key]: { ...current[part][key], ...patch } } }));
  };

  /** An item's evidence files with their upload and delete. */
  const filesOf = (key: string, name: string) => (
    <EvidenceFiles
      name={name}
      itemKey={key}
      files={evidence[key] ?? []}
      uploadPath={`${selfAssessmentPath(view.siteCode)}/evidence`}
      onChange={(files) => setEvidence((current) => ({ ...current, [key]: files }))}
    />
  );

  const allItems = sheet.groups.flatMap((group) => group.items);
  const answered = [...Object.values(drafts.vetoes), ...Object.values(drafts.items)].filter(
    (entry) => entry.value.trim() !== '',
  ).length;
  const vetoHit = Object.values(drafts.vetoes).some((entry) => entry.value === 'yes');

  /** Saves the form: the server's reply; a refusal throws, its reasons beside the fields. */
  const save = async (): Promise<SelfAssessmentView> => {
    setFieldErrors({});
    const problems = localProblems(drafts, view);
    if (Object.keys(problems).length) {
      setFieldErrors(problems);
      throw new ApiError(400, 'LOCAL', `有${Object.keys(problems).length}项需要修改，请看各项下方的提示`);
    }
    const sent = JSON.stringify(drafts);
    let saved: SelfAssessmentView;
    try {
      saved = await api<SelfAssessmentView>('PUT', selfAssessmentPath(view.siteCode), bodyOf(drafts, sheet));
    } catch (error) {
      throw besideFields(error, sheet, setFieldErrors);
    }
    setBaseline(sent);
    onChanged(saved);
    return saved;
  };

  const saveDraft = () =>
    action.run(async () => {
      await save();
      setNotice('已保存草稿');
    });

  const submit = () =>
    action.run(async () => {
      setConfirming(false);
      await save();
      try {
        onChanged(await post<SelfAssessmentView>(`${selfAssessmentPath(view.siteCode)}/submit`));
        // The result is at the top of the page; the button was at its foot.
        window.scrollTo({ top: 0 });
      } catch (error) {
        throw besideFields(error, sheet, setFieldErrors);
      }
    });

  return (
    <form
      className="assess-form"
      onSubmit={(event) => {
        event.preventDefault();
        void saveDraft();
      }}
    >
      <fieldset className="section">
        <legend>单项否决（任一项为“是”即不合格，不再计分）</legend>
        {sheet.vetoes.map((veto) => (
          <AssessItem
            key={veto.key}
            id={veto.key}
            name={veto.name}
            rule={veto.rule}
            entry={drafts.vetoes[veto.key]}
            error={fieldErrors[veto.key]}
            kind="flag"
            onChange={(patch) => set('vetoes', veto.key, patch)}
            evidence={filesOf(veto.key, veto.name)}
          />
        ))}
      </fieldset>
      {sheet.groups.map((group) => (
        <fieldset className="section" key={group.key}>
          <legend>
            {group.name}（{group.items.reduce((sum, item) => sum + item.maxPoints, 0)} 分）
          </legend>
          {group.items.map((item) => (
            <AssessItem
              key={item.key}
              id={item.key}
              name={item.name}
              rule={item.rule}
              item={item}
              entry={drafts.items[item.key]}
              error={fieldErrors[item.key]}
              kind={item.deduction.kind}
              onChange={(patch) => set('items', item.key, patch)}
              evidence={filesOf(item.key, item.name)}
            />
          ))}
        </fieldset>
      ))}
      <p className="muted" data-testid="assessment-progress">
        已填写 {answered} / {sheet.vetoes.length + allItems.length} 项
        {vetoHit && '（已有单项否决为“是”：扣分项可不填，提交后结论为不合格）'}
      </p>
      <ErrorNote message={action.error} />
      {notice && (
        <div className="notice notice-success" role="status">
          {notice}
        </div>
      )}
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          {action.busy ? '正在保存…' : '保存草稿'}
        </button>
        <button type="button" className="primary" disabled={action.busy} onClick={() => setConfirming(true)}>
          提交
        </button>
      </div>
      {leaving && (
        <Dialog title="离开自查评分" onClose={() => setLeaving(null)}>
          <p>{LEAVE_QUESTION}</p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                leavingOk.current = true;
                sessionStorage.removeItem(localKey(view.siteCode));
                location.assign(leaving);
              }}
            >
              离开
            </button>
            <button type="button" data-autofocus onClick={() => setLeaving(null)}>
              留下继续填写
            </button>
          </div>
        </Dialog>
      )}
      {confirming && (
        <Dialog title="提交自查评分" onClose={() => setConfirming(false)}>
          <p>提交时先保存本页填写的内容，再按评分表计算结论。</p>
          <p>
            <strong>提交后不能再修改</strong>；如需更正，须由主办单位退回后重新填写。
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void submit()}>
              确定提交
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              取消
            </button>
          </div>
        </Dialog>
      )}
    </form>
  );
}

/** Turns the server's refusal naming items into messages beside them; the error stays for the notice. */
function besideFields(
  error: unknown,
  sheet: ScoreSheet,
  setFieldErrors: (errors: Record<string, string>) => void,
): unknown {
  if (!(error instanceof ApiError) || !error.details || typeof error.details !== 'object') return error;
  const details = error.details as { key?: unknown; keys?: unknown };
  if (typeof details.key === 'string') {
    // Some messages quote the item's key (“site-unreachable”的证据链接…): the site reads its name.
    const named = [...sheet.vetoes, ...sheet.groups.flatMap((group) => group.items)].find(
      (entry) => entry.key === details.key,
    );
    const message = named ? error.message.replaceAll(`“${named.key}”`, `“${named.name}”`) : error.message;
    setFieldErrors({ [details.key]: message });
    return new ApiError(error.status, error.code, message, error.details);
  } else if (Array.isArray(details.keys))
    setFieldErrors(Object.fromEntries(details.keys.map((key) => [String(key), '请填写此项'])));
  return error;
}

function AssessItem({
  id,
  name,
  rule,
  item,
  entry,
  error,
  kind,
  onChange,
  evidence,
}: {
  id: string;
  name: string;
  rule: string;
  item?: SheetItem;
  entry: EntryDraft;
  error?: string;
  kind: SheetItem['deduction']['kind'];
  onChange: (patch: Partial<EntryDraft>) => void;
  /** The item's evidence files and their upload. */
  evidence: ReactNode;
}) {
  const errorId = `assess-${id}-error`;
  const described = error ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
  return (
    <div className={`assess-item${error ? ' has-error' : ''}`} data-key={id}>
      <div className="assess-head">
        <strong>{name}</strong>
        {item && <span className="muted">满分 {item.maxPoints} 分</span>}
      </div>
      <p className="assess-rule">{rule}</p>
      {item && <p className="assess-deduction">扣分规则：{item.deduction.text}</p>}
      <div className="assess-inputs">
        {kind === 'flag' ? (
          <div role="radiogroup" aria-label={name} className="yesno" {...described}>
            {(['yes', 'no'] as const).map((choice) => (
              <label key={choice}>
                <input
                  type="radio"
                  name={`assess-${id}`}
                  value={choice}
                  checked={entry.value === choice}
                  onChange={() => onChange({ value: choice })}
                />
                {choice === 'yes' ? '是' : '否'}
              </label>
            ))}
          </div>
        ) : (
          <label>
            <span>
              {kind === 'perCount' ? '发现数量' : '数值'}（{item?.deduction.kind !== 'flag' && item?.deduction.unit}）
            </span>
            <input
              className="assess-value"
              aria-label={`${name} 填报值`}
              inputMode={kind === 'perCount' ? 'numeric' : 'decimal'}
              value={entry.value}
              onChange={(e) => onChange({ value: e.target.value })}
              {...described}
            />
          </label>
        )}
        <label>
          <span>说明</span>
          <input
            aria-label={`${name} 说明`}
            value={entry.note}
            maxLength={500}
            onChange={(e) => onChange({ note: e.target.value })}
          />
        </label>
        <label>
          <span>证据链接</span>
          <input
            aria-label={`${name} 证据链接`}
            placeholder="http:// 或 https:// 开头"
            value={entry.evidenceUrl}
            onChange={(e) => onChange({ evidenceUrl: e.target.value })}
          />
        </label>
      </div>
      {evidence}
      {error && (
        <p className="field-error" id={errorId} data-testid={`assess-error-${id}`}>
          {error}
        </p>
      )}
    </div>
  );
}
