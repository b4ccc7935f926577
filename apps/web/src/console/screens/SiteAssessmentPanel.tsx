// The site's 自查评分 on an approved record's page, for its owner unit and every unit above
// (the server decides who sees it: anyone else gets 404). A submitted one shows its result and
// can be sent back with a reason (退回重填); the site then corrects it and submits again.
import { useState } from 'react';
import { post, get } from '../api';
import { beijingTime } from '../format';
import { Busy, Dialog, ErrorNote, useAction, useLoad } from '../ui';
import { MonitoringPanel } from './Monitoring';
import { AnswersReadOnly, ResultSummary, selfAssessmentPath, SelfAssessmentView } from './SelfAssessment';

export function SiteAssessmentPanel({ siteCode }: { siteCode: string }) {
  const loaded = useLoad(() => get<SelfAssessmentView>(selfAssessmentPath(siteCode)), [siteCode]);
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [showAnswers, setShowAnswers] = useState(false);
  const action = useAction();
  // The reopen's answer is the new state: shown at once, no second request.
  const [reopened, setReopened] = useState<SelfAssessmentView | null>(null);
  const view = reopened ?? loaded.data;

  const reopen = () =>
    action.run(async () => {
      setReopened(await post<SelfAssessmentView>(`${selfAssessmentPath(siteCode)}/reopen`, { reason: reason.trim() }));
      setReopening(false);
      setReason('');
      setDone('已退回，网站可修改后重新提交');
    });

  return (
    <fieldset className="section" data-testid="self-assessment-panel">
      <legend>自查评分</legend>
      {!view ? (
        loaded.error ? (
          <ErrorNote message={loaded.error} />
        ) : (
          <Busy />
        )
      ) : (
        <>
          <dl className="fields">
            <dt>状态</dt>
            <dd data-testid="assessment-status">{view.statusLabel}</dd>
            {view.submittedAt && (
              <>
                <dt>提交时间</dt>
                <dd>{beijingTime(view.submittedAt)}</dd>
              </>
            )}
            {!view.submittedAt && view.updatedAt && (
              <>
                <dt>最近保存</dt>
                <dd>{beijingTime(view.updatedAt)}</dd>
              </>
            )}
            <dt>评分表</dt>
            <dd>
              {view.sheet.title}（第{view.sheet.version}版）
            </dd>
          </dl>
          {view.status === 'NOT_STARTED' && (
            <p className="muted">网站尚未填写自查评分。网站以标识码和校验码在登录页“网站登录”后填写。</p>
          )}
          {view.result && <ResultSummary result={view.result} sheet={view.sheet} />}
          {done && (
            <div className="notice notice-success" role="status">
              {done}
            </div>
          )}
          <div className="actions">
            {view.status !== 'NOT_STARTED' && (
              <button aria-expanded={showAnswers} onClick={() => setShowAnswers(!showAnswers)}>
                {showAnswers ? '收起填报内容' : '查看填报内容'}
              </button>
            )}
            {view.status === 'SUBMITTED' && (
              <button
                onClick={() => {
                  action.clear();
                  setReopening(true);
                }}
              >
                退回重填
              </button>
            )}
          </div>
          {showAnswers && <AnswersReadOnly view={view} />}
        </>
      )}
      {reopening && (
        <Dialog title="退回自查评分" onClose={() => setReopening(false)}>
          <p>退回后结论清空，网站可修改后重新提交；原结论和退回原因记入审计日志。</p>
          <label className="row">
            <span>退回原因（必填）</span>
            <textarea rows={4} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <ErrorNote message={action.error} />
          <div className="actions">
            <button className="primary" disabled={!reason.trim() || action.busy} onClick={() => void reopen()}>
              确定退回
            </button>
            <button onClick={() => setReopening(false)}>取消</button>
          </div>
        </Dialog>
      )}
    </fieldset>
  );
}

/** What an approved site (one with a 标识码) shows its units beyond the record: 自查评分 and 网站监测. */
export function SitePanels({ siteCode }: { siteCode: string }) {
  return (
    <>
      <SiteAssessmentPanel siteCode={siteCode} />
      <fieldset className="section">
        <legend>网站监测</legend>
        <MonitoringPanel siteCode={siteCode} />
      </fieldset>
    </>
  );
}
