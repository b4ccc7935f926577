import { useEffect, useState } from 'react';
import { api, get, post } from '../../api';
import { beijingTime } from '../../format';
import { Busy, Dialog, ErrorNote, useAction, useLoad } from '../../ui';
import { MonitoringPanel } from '../Monitoring';
import { EvidenceFiles } from './EvidenceFiles';
import { EvidenceByKey, InspectionSiteView, MonitoringProposal, ScoreSheet, SelfAssessmentAnswers } from './types';

type Kind = 'flag' | 'number';
interface Draft {
  value: string;
  note: string;
  evidenceUrl: string;
}
type Drafts = Record<string, Draft>;

const EMPTY: Draft = { value: '', note: '', evidenceUrl: '' };

function draftsOf(answers: SelfAssessmentAnswers): Drafts {
  const drafts: Drafts = {};
  for (const [key, entry] of [...Object.entries(answers.vetoes), ...Object.entries(answers.items)])
    drafts[key] = {
      value: typeof entry.value === 'boolean' ? (entry.value ? 'yes' : 'no') : String(entry.value),
      note: entry.note ?? '',
      evidenceUrl: entry.evidenceUrl ?? '',
    };
  return drafts;
}

function shown(value: number | boolean | undefined): string {
  if (value === undefined) return '未填';
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

/** The entries typed so far, as the API takes them (unanswered ones left out). */
function payload(sheet: ScoreSheet, drafts: Drafts) {
  const entry = (key: string, kind: Kind) => {
    const draft = drafts[key];
    if (!draft || draft.value === '') return null;
    const value = kind === 'flag' ? draft.value === 'yes' : Number(draft.value);
    return { value, note: draft.note.trim() || null, evidenceUrl: draft.evidenceUrl.trim() || null };
  };
  const vetoes: Record<string, unknown> = {};
  for (const veto of sheet.vetoes) {
    const given = entry(veto.key, 'flag');
    if (given) vetoes[veto.key] = given;
  }
  const items: Record<string, unknown> = {};
  for (const item of sheet.groups.flatMap((group) => group.items)) {
    const given = entry(item.key, item.deduction.kind === 'flag' ? 'flag' : 'number');
    if (given) items[item.key] = given;
  }
  return { vetoes, items };
}

/**
 * Scoring one sampled site (#/inspections/:id/:siteCode): the score sheet, each veto and item with
 * the inspectors' answer, note and evidence link, and beside it what the site answered in its own
 * 自查评分. 保存 keeps a draft, 提交 scores it (the verdict overrides the self-assessment's), 退回
 * sends a submitted one back with a reason.
 */
export function InspectionSite({ id, siteCode }: { id: string; siteCode: string }) {
  const path = `/inspections/${id}/sites/${siteCode}`;
  const site = useLoad(() => get<InspectionSiteView>(path), [path]);
  const [drafts, setDrafts] = useState<Drafts>({});
  // The inspectors' files, kept as they are uploaded or removed (not by 保存).
  const [evidence, setEvidence] = useState<EvidenceByKey>({});
  const [message, setMessage] = useState<string | null>(null);
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  useEffect(() => {
    if (site.data) {
      setDrafts(draftsOf(site.data.answers));
      setEvidence(site.data.evidence);
    }
  }, [site.data]);
  if (site.loading && !site.data) return <Busy />;
  if (!site.data) return <ErrorNote message={site.error} />;
  const data = site.data;
  const sheet = data.sheet;
  const editable = data.status !== 'SUBMITTED' && data.inspectionStatus === 'OPEN';
  const own = data.selfAssessment;
  const set = (key: string, field: keyof Draft, value: string) =>
    setDrafts((current) => ({ ...current, [key]: { ...(current[key] ?? EMPTY), [field]: value } }));
  const save = async () => {
    await api('PUT', path, payload(sheet, drafts));
  };
  const proposals = new Map(data.monitoring.proposals.map((proposal) => [proposal.key, proposal]));
  /** 采纳: the proposal's value as the answer, its reason as the note where none is written yet. */
  const adopt = (proposal: MonitoringProposal) =>
    setDrafts((current) => {
      const draft = current[proposal.key] ?? EMPTY;
      const value = typeof proposal.value === 'boolean' ? (proposal.value ? 'yes' : 'no') : String(proposal.value);
      return { ...current, [proposal.key]: { ...draft, value, note: draft.note || `监测：${proposal.text}` } };
    });

  const row = (
    key: string,
    name: string,
    rule: string,
    kind: Kind,
    extra: string,
    ownValue: number | boolean | undefined,
  ) => {
    const draft = drafts[key] ?? EMPTY;
    const proposal = proposals.get(key);
    return (
      <tr key={key} data-key={key}>
        <td>
          <strong>{name}</strong>
          {extra && <span className="muted">（{extra}）</span>}
          <div className="muted">{rule}</div>
          {proposal && (
            <div className="notice" data-testid={`proposal-${key}`}>
              监测建议：{shown(proposal.value)}。{proposal.text}
              {editable && (
                <button type="button" className="link" onClick={() => adopt(proposal)}>
                  采纳
                </button>
              )}
            </div>
          )}
        </td>
        <td>
          {kind === 'flag' ? (
            <select
              aria-label={`${name}：是否存在`}
              value={draft.value}
              disabled={!editable}
              onChange={(e) => set(key, 'value', e.target.value)}
            >
              <option value="">未填</option>
              <option value="no">否</option>
              <option value="yes">是</option>
            </select>
          ) : (
            <input
              aria-label={`${name}：数值`}
              inputMode="decimal"
              size={6}
              value={draft.value}
              disabled={!editable}
              onChange={(e) => set(key, 'value', e.target.value.trim())}
            />
          )}
        </td>
        <td>
          <input
            aria-label={`${name}：说明`}
            value={draft.note}
            maxLength={500}
            disabled={!editable}
            onChange={(e) => set(key, 'note', e.target.value)}
          />
          <input
            aria-label={`${name}：证据链接`}
            placeholder="证据链接 https://…"
            value={draft.evidenceUrl}
            maxLength={500}
            disabled={!editable}
            onChange={(e) => set(key, 'evidenceUrl', e.target.value)}
          />
          <EvidenceFiles
            name={name}
            itemKey={key}
            files={evidence[key] ?? []}
            {...(editable && {
              uploadPath: `${path}/evidence`,
              onChange: (files) => setEvidence((current) => ({ ...current, [key]: files })),
            })}
          />
        </td>
        <td className="self-answer" data-testid={`self-${key}`}>
          {own ? shown(ownValue) : '—'}
          {own?.answers.vetoes[key]?.note || own?.answers.items[key]?.note ? (
            <div className="muted">{own.answers.vetoes[key]?.note ?? own.answers.items[key]?.note}</div>
          ) : null}
          {own && (
            <EvidenceFiles name={`${name}（网站自查）`} itemKey={`self-${key}`} files={own.evidence[key] ?? []} />
          )}
        </td>
      </tr>
    );
  };

  return (
    <section>
      <p>
        <a href={`#/inspections/${id}`}>← {data.inspectionName}</a>
      </p>
      <h2>
        {data.siteName}（{data.siteCode}）
      </h2>
      <p data-testid="inspection-site-status">
        检查评分：{data.statusLabel}
        {data.result &&
          ` · 结论：${data.result.verdictLabel}${data.result.score !== null ? `，得分 ${data.result.score}` : ''}${data.result.vetoes.length ? `，单项否决：${data.result.vetoes.map((v) => v.name).join('、')}` : ''}`}
        {data.submittedAt && ` · 提交于 ${beijingTime(data.submittedAt)}`}
        {data.inspectionStatus === 'CLOSED' && ' · 本次检查已结束'}
      </p>
      <p className="muted" data-testid="self-summary">
        网站自查：
        {own
          ? `${own.statusLabel}${own.result ? `，${own.result.verdictLabel}${own.result.score !== null ? ` ${own.result.score} 分` : ''}` : ''}`
          : '未填写'}
        。检查结论提交后取代自查结论，自查评分保留。
      </p>
      {message && (
        <div className="notice" role="status" data-testid="site-message">
          {message}
        </div>
      )}
      <ErrorNote message={action.error} />
      <p className="muted">
        {sheet.title}（第 {sheet.version} 版）：满分 {sheet.totalPoints}，{sheet.passScore} 分及以上且无单项否决为合格。
      </p>
      <table className="forms" data-testid="sheet">
        <thead>
          <tr>
            <th>指标</th>
            <th>检查答案</th>
            <th>说明与证据</th>
            <th>网站自查</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th colSpan={4}>单项否决（任一项为“是”即不合格）</th>
          </tr>
          {sheet.vetoes.map((veto) =>
            row(veto.key, veto.name, veto.rule, 'flag', '', own?.answers.vetoes[veto.key]?.value),
          )}
          {sheet.groups.map((group) => [
            <tr key={group.key}>
              <th colSpan={4}>{group.name}</th>
            </tr>,
            ...group.items.map((item) =>
              row(
                item.key,
                item.name,
                item.deduction.text,
                item.deduction.kind === 'flag' ? 'flag' : 'number',
                `满分 ${item.maxPoints}${item.deduction.kind !== 'flag' ? `，填${item.deduction.unit}` : ''}`,
                own?.answers.items[item.key]?.value,
              ),
            ),
          ])}
        </tbody>
      </table>
      <p className="muted" data-testid="monitoring-summary">
        监测建议（{data.monitoring.from} 至 {data.monitoring.to}，{data.monitoring.daysWithProbes} 天有监测数据）：
        {!data.monitoring.monitored && data.monitoring.daysWithProbes === 0
          ? '该网站未纳入监测（未运行或尚未同步），暂无建议'
          : data.monitoring.proposals.length === 0
            ? '未发现需要否决或扣分的问题'
            : `${data.monitoring.proposals.length} 条，见各指标下方；采纳后仍须保存和提交才生效`}
        。
      </p>
      <details data-testid="monitoring-record">
        <summary>网站监测记录（每天的可访问率、失败原因、栏目更新、空白栏目和错链）</summary>
        <MonitoringPanel siteCode={data.siteCode} />
      </details>
      <div className="actions">
        {editable && (
          <>
            <button
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  await save();
                  setMessage('已保存');
                  site.reload();
                })
              }
            >
              保存
            </button>{' '}
            <button
              className="primary"
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  await save();
                  const submitted = await post<InspectionSiteView>(`${path}/submit`);
                  setMessage(`已提交：${submitted.result?.verdictLabel ?? ''}`);
                  site.reload();
                })
              }
            >
              提交
            </button>
          </>
        )}
        {data.status === 'SUBMITTED' && data.inspectionStatus === 'OPEN' && (
          <button onClick={() => setReopening(true)}>退回</button>
        )}
      </div>
      {reopening && (
        <Dialog title="退回检查评分" onClose={() => setReopening(false)}>
          <label className="row">
            <span>退回原因（必填）</span>
            <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <ErrorNote message={action.error} />
          <div className="actions">
            <button
              className="primary"
              disabled={!reason.trim() || action.busy}
              onClick={() =>
                action.run(async () => {
                  await post(`${path}/reopen`, { reason: reason.trim() });
                  setReopening(false);
                  setReason('');
                  setMessage('已退回，正式结论恢复为此前的结论');
                  site.reload();
                })
              }
            >
              确认退回
            </button>{' '}
            <button onClick={() => setReopening(false)}>取消</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
