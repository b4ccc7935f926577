import { useState } from 'react';
import { get, post } from '../../api';
import { beijingTime } from '../../format';
import { go, takeFlash } from '../../router';
import { Me } from '../../session';
import { Busy, Dialog, ErrorNote, Pager, useAction, useLoad } from '../../ui';
import { AssessmentStatsTable, InspectionDetail, InspectionSummary } from './types';

const PAGE_SIZE = 20;

function Progress({ inspection }: { inspection: InspectionSummary }) {
  const { sampled, submitted, pass, fail } = inspection.progress;
  return (
    <>
      已评 {submitted}/{sampled}（合格 {pass}，不合格 {fail}）
    </>
  );
}

function sampleText(inspection: InspectionSummary): string {
  const { sample } = inspection;
  if (sample.mode === 'percent') return `按比例 ${sample.value}%`;
  if (sample.mode === 'count') return `按数量 ${sample.value} 个`;
  return '全部';
}

/** 检查打分 (#/inspections): the inspections of the unit and below, and 发起检查. */
export function Inspections({ me }: { me: Me }) {
  const [page, setPage] = useState(1);
  const [flash] = useState(takeFlash);
  const list = useLoad(
    () => get<{ items: InspectionSummary[]; total: number }>(`/inspections?page=${page}&pageSize=${PAGE_SIZE}`),
    [page],
  );
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <h2>检查打分</h2>
      {flash && (
        <div className="notice" role="status">
          {flash}
        </div>
      )}
      <p className="muted">
        对本单位或下级单位辖区内运行中的网站抽查打分：抽中的网站按评分表逐项打分，提交后的检查结论取代网站的自查结论。
      </p>
      <div className="actions">
        <button className="primary" onClick={() => setCreating(true)}>
          发起检查
        </button>
      </div>
      {list.loading && !list.data && <Busy />}
      <ErrorNote message={list.error} />
      {list.data && list.data.items.length === 0 && <p className="muted">还没有检查。</p>}
      {list.data && list.data.items.length > 0 && (
        <>
          <table className="forms" data-testid="inspections">
            <thead>
              <tr>
                <th>检查名称</th>
                <th>检查范围</th>
                <th>检查单位</th>
                <th>抽查方式</th>
                <th>进度</th>
                <th>状态</th>
                <th>发起时间</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((inspection) => (
                <tr key={inspection.id}>
                  <td>
                    <a href={`#/inspections/${inspection.id}`}>{inspection.name}</a>
                  </td>
                  <td>{inspection.orgUnitName}</td>
                  <td>{inspection.inspectingUnitName}</td>
                  <td>
                    {sampleText(inspection)}（{inspection.progress.sampled}/{inspection.sample.population}）
                  </td>
                  <td>
                    <Progress inspection={inspection} />
                  </td>
                  <td>{inspection.statusLabel}</td>
                  <td>{beijingTime(inspection.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
      {creating && <CreateInspection me={me} onClose={() => setCreating(false)} />}
    </section>
  );
}

function CreateInspection({ me, onClose }: { me: Me; onClose: () => void }) {
  // The units one may inspect here: the own unit and its direct children (the statistics table lists them).
  const units = useLoad(() => get<AssessmentStatsTable>('/assessment/stats'), []);
  const [name, setName] = useState('');
  const [orgUnitId, setOrgUnitId] = useState(me.orgUnitId ?? '');
  const [mode, setMode] = useState<'all' | 'percent' | 'count'>('percent');
  const [value, setValue] = useState('10');
  const [seed, setSeed] = useState('');
  const action = useAction();
  return (
    <Dialog title="发起检查" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            const created = await post<InspectionDetail>('/inspections', {
              name,
              orgUnitId,
              sample: {
                mode,
                ...(mode !== 'all' && { value: Number(value) }),
                ...(seed.trim() && { seed: seed.trim() }),
              },
            });
            go(
              `inspections/${created.id}`,
              `已发起检查，抽中 ${created.progress.sampled} 个网站（随机种子 ${created.sample.seed}）`,
            );
          });
        }}
      >
        <label className="row">
          <span>检查名称</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
        </label>
        <label className="row">
          <span>检查范围</span>
          <select value={orgUnitId} onChange={(e) => setOrgUnitId(e.target.value)}>
            {me.orgUnit && <option value={me.orgUnitId ?? ''}>{me.orgUnit.name}（本单位及全部下级）</option>}
            {(units.data?.children ?? []).map((child) => (
              <option key={child.orgUnitId} value={child.orgUnitId}>
                {child.name}
              </option>
            ))}
          </select>
        </label>
        <div role="radiogroup" aria-label="抽查方式">
          <strong>抽查方式：</strong>
          {(
            [
              ['percent', '按比例（%）'],
              ['count', '按数量（个）'],
              ['all', '全部'],
            ] as const
          ).map(([key, label]) => (
            <label key={key}>
              <input type="radio" name="mode" checked={mode === key} onChange={() => setMode(key)} /> {label}{' '}
            </label>
          ))}
          {mode !== 'all' && (
            <label className="row">
              <span>{mode === 'percent' ? '抽查比例（%）' : '抽查数量（个）'}</span>
              <input inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} required />
            </label>
          )}
        </div>
        <label className="row">
          <span>随机种子（可不填则随机生成；同一种子、同一批网站抽出的名单相同）</span>
          <input value={seed} onChange={(e) => setSeed(e.target.value)} maxLength={64} />
        </label>
        <ErrorNote message={action.error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={action.busy}>
            抽取并发起
          </button>{' '}
          <button type="button" onClick={onClose}>
            取消
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** One inspection (#/inspections/:id): how it was drawn, its progress, the sampled sites; 结束检查. */
export function InspectionPage({ id }: { id: string }) {
  const [flash] = useState(takeFlash);
  const inspection = useLoad(() => get<InspectionDetail>(`/inspections/${id}`), [id]);
  const action = useAction();
  const [closing, setClosing] = useState(false);
  const data = inspection.data;
  return (
    <section>
      <p>
        <a href="#/inspections">← 检查打分</a>
      </p>
      {flash && (
        <div className="notice" role="status" data-testid="flash">
          {flash}
        </div>
      )}
      {inspection.loading && !data && <Busy />}
      <ErrorNote message={inspection.error ?? action.error} />
      {data && (
        <>
          <h2>{data.name}</h2>
          <p data-testid="inspection-summary">
            检查范围：{data.orgUnitName}及其下级单位 · 检查单位：{data.inspectingUnitName} · 抽查方式：
            {sampleText(data)}
            ，从 {data.sample.population} 个运行中网站抽取 {data.progress.sampled} 个 · 随机种子{' '}
            <code>{data.sample.seed}</code> · 状态：{data.statusLabel}
          </p>
          <p>
            <Progress inspection={data} />
          </p>
          {data.status === 'OPEN' && (
            <div className="actions">
              <button onClick={() => setClosing(true)}>结束检查</button>
            </div>
          )}
          <table className="forms" data-testid="inspection-sites">
            <thead>
              <tr>
                <th>网站标识码</th>
                <th>网站名称</th>
                <th>检查评分</th>
                <th>结论</th>
                <th>得分</th>
                <th>提交时间</th>
              </tr>
            </thead>
            <tbody>
              {data.sites.map((site) => (
                <tr key={site.siteCode}>
                  <td>
                    <a href={`#/inspections/${id}/${site.siteCode}`}>{site.siteCode}</a>
                  </td>
                  <td>{site.siteName}</td>
                  <td>{site.statusLabel}</td>
                  <td>{site.verdictLabel ?? '—'}</td>
                  <td className="num">{site.score ?? '—'}</td>
                  <td>{beijingTime(site.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {closing && (
        <Dialog title="结束检查" onClose={() => setClosing(false)}>
          <p>结束后不能再打分或退回，已提交的结论保留。确认结束？</p>
          <div className="actions">
            <button
              className="primary"
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  await post(`/inspections/${id}/close`);
                  setClosing(false);
                  inspection.reload();
                })
              }
            >
              确认结束
            </button>{' '}
            <button onClick={() => setClosing(false)}>取消</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
