import 'reflect-metadata';
import { UnitCounts, UnitStatsRow, UnitStatsTable } from '@app/contracts';
import { STATS_EXPORT_COLUMNS, statsExportRows } from './stats-workbook';

const counts = (websites: number, drafts = 0): UnitCounts => ({
  websites,
  byStatus: { DRAFT: drafts, PENDING: websites - drafts, APPROVED: 0, RETURNED: 0 },
  byLifecycle: { ACTIVE: websites, CLOSED: 0, DEREGISTERED: 0 },
  lastActivityAt: websites ? '2026-12-01T22:40:00.000Z' : null,
});

const child = (name: string, c: UnitCounts, flags: Partial<UnitStatsRow> = {}): UnitStatsRow => ({
  ...c,
  orgUnitId: name,
  code: name,
  name,
  unitKind: 'county',
  childCount: 0,
  zeroReport: false,
  reported: c.websites - c.byStatus.DRAFT > 0,
  ...flags,
});

const table = (own: UnitCounts): UnitStatsTable => ({
  unit: child('秦皇岛市', counts(4 + own.websites)),
  path: [],
  own,
  children: [
    child('海港区', counts(3, 1)),
    child('山海关区', counts(0)),
    child('卢龙县', counts(0), { zeroReport: true, reported: true }),
  ],
  total: counts(3 + own.websites, 1),
  canDeclareZeroReport: false,
});

const cell = (row: ReturnType<typeof statsExportRows>[number], header: string) =>
  STATS_EXPORT_COLUMNS.find((column) => column.header === header)!.value(row);

describe('the statistics export rows', () => {
  it('lists each child, 本级 only when the unit owns records, then 合计', () => {
    expect(statsExportRows(table(counts(0))).map((row) => row.name)).toEqual(['海港区', '山海关区', '卢龙县', '合计']);
    const rows = statsExportRows(table(counts(2)));
    expect(rows.map((row) => row.name)).toEqual(['海港区', '山海关区', '卢龙县', '秦皇岛市（本级）', '合计']);
    expect(cell(rows[4], '网站数')).toBe(5);
  });

  it('says 已报送, 未报送 or 零报送 per child, nothing for 本级 and 合计, and Beijing time', () => {
    const rows = statsExportRows(table(counts(2)));
    expect(rows.map((row) => cell(row, '报送情况'))).toEqual(['已报送', '未报送', '零报送', '', '']);
    expect(cell(rows[0], '最近变动（北京时间）')).toBe('2026-12-02 06:40:00');
    expect(cell(rows[1], '最近变动（北京时间）')).toBe('');
  });
});
