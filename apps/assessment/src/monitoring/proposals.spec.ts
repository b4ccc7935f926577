import { MonitoredColumn } from '@app/contracts';
import { ScoreSheets } from '../sheet/sheets';
import { ProposalDay, proposeFromMonitoring } from './proposals';

const sheet = new ScoreSheets().current();

/** `n` consecutive days ending 2026-12-01, each made by `make(dayString, index)`. */
function days(n: number, make: (day: string, i: number) => Partial<ProposalDay> = () => ({})): ProposalDay[] {
  const end = Date.parse('2026-12-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const day = new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return {
      day,
      homepageProbes: 24,
      homepageFailures: 0,
      failuresByCause: {},
      homepageNewest: day,
      columns: [],
      blankColumns: 0,
      linksChecked: 20,
      brokenLinks: 0,
      broken: [],
      ...make(day, i),
    };
  });
}

const RANGE = { from: '2026-11-01', to: '2026-12-01' };

function column(name: string, newest: string | null, extra: Partial<MonitoredColumn> = {}): MonitoredColumn {
  return {
    name,
    url: `http://www.a.gov.cn/${encodeURIComponent(name)}/`,
    category: 'information',
    ok: true,
    cause: null,
    newest,
    blank: false,
    ...extra,
  };
}

const keys = (rows: ProposalDay[], range = RANGE) =>
  proposeFromMonitoring(sheet, rows, range).map((p) => `${p.kind}:${p.key}`);

describe('proposeFromMonitoring', () => {
  it.each<[string, ProposalDay[], string[]]>([
    ['a healthy, updated site', days(15), []],
    ['nothing monitored', [], []],
    // 站点无法访问: ≥ 7 days of ≥ 20 visits, ≥ 5% failed.
    [
      '7 days, 2 of 24 failing a day (8.3%)',
      days(7, () => ({ homepageFailures: 2, failuresByCause: { timeout: 2 } })),
      ['veto:site-unreachable', 'deduction:homepage-availability'],
    ],
    ['only 6 days monitored', days(6, () => ({ homepageFailures: 2 })), ['deduction:homepage-availability']],
    [
      'exactly 5% over 7 days of 20 visits',
      days(7, () => ({ homepageProbes: 20, homepageFailures: 1 })),
      ['veto:site-unreachable', 'deduction:homepage-availability'],
    ],
    [
      'just under 5% (6 of 168 = 3.6%)',
      days(7, (_d, i) => ({ homepageFailures: i < 6 ? 1 : 0 })),
      ['deduction:homepage-availability'],
    ],
    [
      'days of fewer than 20 visits do not count',
      days(7, (_d, i) => ({ homepageProbes: i === 0 ? 19 : 24, homepageFailures: 5 })),
      ['deduction:homepage-availability'],
    ],
    // 网站不更新: ≥ 14 days monitored and no date within 14 days of `to`.
    ['stale for 3 weeks over 15 days', days(15, () => ({ homepageNewest: '2026-11-10' })), ['veto:site-not-updated']],
    ['no dates at all over 14 days', days(14, () => ({ homepageNewest: null })), ['veto:site-not-updated']],
    ['stale but only 13 days monitored', days(13, () => ({ homepageNewest: '2026-10-01' })), []],
    ['last update exactly 13 days before `to`', days(14, () => ({ homepageNewest: '2026-11-18' })), []],
    // 栏目不更新
    [
      '5 news columns silent for 2 weeks',
      days(1, () => ({ columns: ['动态1', '动态2', '要闻', '新闻', '工作动态'].map((n) => column(n, '2026-11-10')) })),
      ['veto:columns-not-updated'],
    ],
    [
      '4 news columns silent',
      days(1, () => ({ columns: ['动态1', '动态2', '要闻', '新闻'].map((n) => column(n, '2026-11-10')) })),
      [],
    ],
    [
      '5 notice columns, updated within 6 months',
      days(1, () => ({ columns: ['通知', '公告', '政策', '文件', '法规'].map((n) => column(n, '2026-07-01')) })),
      [],
    ],
    [
      '5 notice columns silent for 7 months',
      days(1, () => ({ columns: ['通知', '公告', '政策', '文件', '法规'].map((n) => column(n, '2026-05-01')) })),
      ['veto:columns-not-updated'],
    ],
    [
      '10 other information columns silent for over a year',
      days(1, () => ({ columns: Array.from({ length: 10 }, (_, i) => column(`概况${i}`, '2025-10-01')) })),
      ['veto:columns-not-updated'],
    ],
    [
      '5 blank columns on the last day',
      days(2, (_d, i) => ({
        columns: Array.from({ length: 6 }, (_, j) => column(`栏目${j}`, null, { blank: i === 1 && j < 5 })),
      })),
      ['veto:columns-not-updated'],
    ],
    [
      'blank columns that were filled by the last day',
      days(2, (_d, i) => ({
        columns: Array.from({ length: 6 }, (_, j) => column(`栏目${j}`, '2026-11-30', { blank: i === 0 })),
      })),
      [],
    ],
    // 链接可用性
    [
      'broken links, the same one on two days counted once',
      days(2, (_d, i) => ({
        broken: [
          { url: 'http://www.a.gov.cn/dead', cause: 'http-status', status: 404 },
          ...(i === 1 ? [{ url: 'http://www.a.gov.cn/gone', cause: 'connect', status: null }] : []),
        ],
        brokenLinks: i + 1,
      })),
      ['deduction:link-availability'],
    ],
  ])('%s', (_name, rows, expected) => {
    expect(keys(rows)).toEqual(expected);
  });

  it('gives the evidence and the values the engine takes', () => {
    const rows = days(8, (day, i): Partial<ProposalDay> => ({
      homepageFailures: i % 4 === 0 ? 3 : 1,
      failuresByCause: (i % 4 === 0 ? { timeout: 2, 'http-status': 1 } : { connect: 1 }) as Record<string, number>,
      broken: i === 7 ? [{ url: 'http://www.a.gov.cn/dead', cause: 'http-status', status: 404 }] : [],
      homepageNewest: day,
    }));
    const proposals = proposeFromMonitoring(sheet, rows, RANGE);
    const unreachable = proposals.find((p) => p.key === 'site-unreachable')!;
    // 2 × 3 + 6 × 1 = 12 of 192 visits = 6.25%.
    expect(unreachable).toMatchObject({
      name: '站点无法访问',
      kind: 'veto',
      value: true,
      text: '监测8天（每天访问20次以上），首页共访问192次，打不开12次，占6.25%，达到5%。',
      evidence: {
        visits: 192,
        failures: 12,
        percent: 6.25,
        failuresByCause: { timeout: 4, 'http-status': 2, connect: 6 },
      },
    });
    expect(proposals.find((p) => p.key === 'homepage-availability')).toMatchObject({ kind: 'deduction', value: 6.25 });
    expect(proposals.find((p) => p.key === 'link-availability')).toMatchObject({
      name: '链接可用性',
      value: 1,
      evidence: { broken: [{ url: 'http://www.a.gov.cn/dead', cause: 'http-status', status: 404, day: '2026-12-01' }] },
    });
  });

  it('reads only the days within the range', () => {
    const rows = days(10, (_d, i) => ({ homepageFailures: i < 7 ? 5 : 0 }));
    expect(keys(rows, { from: '2026-11-22', to: '2026-12-01' })).toContain('veto:site-unreachable');
    expect(keys(rows, { from: '2026-11-29', to: '2026-12-01' })).toEqual([]);
  });

  it('proposes nothing a sheet does not have', () => {
    const bare = { ...sheet, vetoes: [], groups: [] };
    expect(
      proposeFromMonitoring(
        bare,
        days(15, () => ({ homepageFailures: 5, homepageNewest: null })),
        RANGE,
      ),
    ).toEqual([]);
  });
});
