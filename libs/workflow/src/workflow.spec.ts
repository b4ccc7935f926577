import {
  availableActions,
  BulkAction,
  bulkSelection,
  editUnavailableReason,
  finalReviewerOf,
  mayAct,
  Move,
  nextPosition,
  RECORD_STATUSES,
  RecordPosition,
  RecordStatus,
  refusal,
  RefusalKind,
  selects,
  WorkflowAction,
} from './index';

// 河北省 → 秦皇岛市 → 海港区: the county's records climb to the province, their final reviewer.
const PROVINCE = 'province';
const CITY = 'city';
const COUNTY = 'county';
const chain = ['root', PROVINCE, CITY, COUNTY];

const at = (status: RecordStatus, holder: string, owner = COUNTY): RecordPosition => ({
  status,
  ownerOrgUnitId: owner,
  holderOrgUnitId: holder,
});
const none = { submit: false, edit: false, remove: false, approve: false, return: false };

describe('which buttons a unit gets', () => {
  it.each([
    ['the owner, on its draft', at('DRAFT', COUNTY), COUNTY, { submit: true, edit: true, remove: true }],
    ['another unit, on the draft', at('DRAFT', COUNTY), CITY, {}],
    ['the holder, on a pending record', at('PENDING', CITY), CITY, { approve: true, return: true }],
    ['the owner, on its record pending above', at('PENDING', CITY), COUNTY, {}],
    ['a unit above the holder', at('PENDING', CITY), PROVINCE, {}],
    ['the final reviewer, on an approved record', at('APPROVED', PROVINCE), PROVINCE, { return: true }],
    ['the city, on a record returned to it', at('RETURNED', CITY), CITY, { return: true }],
    ['the owner, on its record still returned above', at('RETURNED', CITY), COUNTY, {}],
    [
      'the owner, on its record returned to it',
      at('RETURNED', COUNTY),
      COUNTY,
      { submit: true, edit: true, remove: true },
    ],
    ['a final reviewer, on its own pending record', at('PENDING', PROVINCE, PROVINCE), PROVINCE, { approve: true }],
  ])('%s', (_, record, unit, expected) => {
    expect(availableActions(record, unit)).toEqual({ ...none, ...expected });
  });

  it('gives a caller without a unit nothing', () => {
    expect(availableActions(at('DRAFT', COUNTY), null)).toEqual(none);
  });
});

describe('why a unit may not act', () => {
  const cases: Array<[WorkflowAction, RecordPosition, string, RefusalKind | null, string?]> = [
    ['submit', at('DRAFT', COUNTY), COUNTY, null],
    ['submit', at('RETURNED', COUNTY), COUNTY, null],
    ['submit', at('DRAFT', COUNTY), CITY, 'not-owner', '只有填报（导入）该记录的单位可以提交'],
    ['submit', at('PENDING', CITY), COUNTY, 'not-holder', '该记录当前不在本单位（状态：未审核），不能提交'],
    ['approve', at('PENDING', CITY), CITY, null],
    ['approve', at('PENDING', CITY), COUNTY, 'not-holder'],
    ['approve', at('APPROVED', CITY), CITY, 'status', '记录状态为“已审核”，不能审核'],
    ['approve', at('DRAFT', COUNTY), COUNTY, 'status'],
    ['return', at('PENDING', CITY), CITY, null],
    ['return', at('APPROVED', CITY), CITY, null],
    ['return', at('RETURNED', CITY), CITY, null],
    ['return', at('DRAFT', CITY), CITY, 'status'],
    ['return', at('RETURNED', COUNTY), COUNTY, 'own-record', '本单位填报的记录不能退回'],
    ['edit', at('DRAFT', COUNTY), COUNTY, null],
    ['edit', at('PENDING', CITY), COUNTY, 'not-holder', '只有未提交或已退回到本单位的记录可以修改'],
    ['edit', at('PENDING', CITY), CITY, 'not-owner', '只有填报（导入）该记录的单位可以修改'],
    ['delete', at('RETURNED', COUNTY), COUNTY, null],
    [
      'delete',
      at('APPROVED', COUNTY),
      COUNTY,
      'status',
      '记录状态为“已审核”，只有未提交或已退回到本单位的记录可以删除',
    ],
    ['reimport', at('DRAFT', COUNTY), COUNTY, null],
    ['reimport', at('PENDING', CITY), COUNTY, null],
    ['reimport', at('RETURNED', CITY), COUNTY, null],
    ['reimport', at('APPROVED', PROVINCE), COUNTY, 'status', '须由审核单位退回后才能重新导入'],
    ['reimport', at('DRAFT', CITY, CITY), COUNTY, 'not-owner', '已由其他单位导入，不能覆盖'],
  ];
  // Every row has all five columns (jest hands a shorter row's missing argument a `done` callback).
  it.each(cases.map(([action, record, unit, kind, text]) => [action, record, unit, kind, text ?? ''] as const))(
    '%s %j by %s → %s',
    (action, record, unit, kind, text) => {
      const answer = refusal(action, record, unit);
      expect(answer?.kind ?? null).toBe(kind);
      if (text) expect(answer?.message).toContain(text);
      expect(mayAct(action, record, unit)).toBe(kind === null);
    },
  );
});

describe('editing and re-import (the FAQ, items 21 and 17)', () => {
  it('allows editing only back at the owner, re-import wherever the record waits until it is approved', () => {
    for (const status of RECORD_STATUSES)
      for (const holder of [COUNTY, CITY, PROVINCE]) {
        const record = at(status, holder);
        expect(mayAct('edit', record, COUNTY)).toBe(holder === COUNTY && (status === 'DRAFT' || status === 'RETURNED'));
        expect(mayAct('reimport', record, COUNTY)).toBe(status !== 'APPROVED');
        if (mayAct('edit', record, COUNTY)) expect(mayAct('reimport', record, COUNTY)).toBe(true);
      }
  });

  it.each([
    [
      at('PENDING', CITY),
      '该记录正在上级单位审核中，不能在线修改；如需更正，可在离线填报工具中修改后重新导入（覆盖内容，审核状态不变），或请审核单位退回。',
    ],
    [at('RETURNED', CITY), '该记录已退回到上级单位，尚未退回本单位'],
    [at('PENDING', PROVINCE, PROVINCE), '该记录已提交本单位终审（未审核），不能在线修改'],
    [at('APPROVED', PROVINCE), '该记录已审核通过，不能修改或重新导入；如需更正，请审核单位退回。'],
  ])('tells the owner why 修改 is not offered for %j', (record, text) => {
    expect(editUnavailableReason(record, record.ownerOrgUnitId)).toContain(text);
  });

  it('explains nothing where the owner may edit, nor to another unit', () => {
    expect(editUnavailableReason(at('DRAFT', COUNTY), COUNTY)).toBeNull();
    expect(editUnavailableReason(at('RETURNED', COUNTY), COUNTY)).toBeNull();
    expect(editUnavailableReason(at('PENDING', CITY), CITY)).toBeNull();
  });
});

describe('where a move takes a record', () => {
  const route = (status: RecordStatus, holder: string, owner = COUNTY) => {
    const ownerChain = chain.slice(0, chain.indexOf(owner) + 1);
    return { ...at(status, holder, owner), ownerChain, finalReviewerOrgUnitId: finalReviewerOf(ownerChain) };
  };
  it.each<[string, ReturnType<typeof route>, Move, RecordStatus, string]>([
    ['a county submits to its city', route('DRAFT', COUNTY), 'submit', 'PENDING', CITY],
    ['the city forwards to the province', route('PENDING', CITY), 'approve', 'PENDING', PROVINCE],
    ['the province approves for good', route('PENDING', PROVINCE), 'approve', 'APPROVED', PROVINCE],
    ['the province returns to the city', route('APPROVED', PROVINCE), 'return', 'RETURNED', CITY],
    ['the city returns to the county', route('RETURNED', CITY), 'return', 'RETURNED', COUNTY],
    ['a province submits to itself', route('DRAFT', PROVINCE, PROVINCE), 'submit', 'PENDING', PROVINCE],
    ['a province approves its own', route('PENDING', PROVINCE, PROVINCE), 'approve', 'APPROVED', PROVINCE],
    ['the root submits to itself', route('DRAFT', 'root', 'root'), 'submit', 'PENDING', 'root'],
  ])('%s', (_, record, move, status, holder) => {
    expect(nextPosition(record, move)).toEqual({ status, holderOrgUnitId: holder });
  });

  it('names the level-1 ancestor the final reviewer, or the owner itself at level ≤ 1', () => {
    expect(finalReviewerOf(chain)).toBe(PROVINCE);
    expect(finalReviewerOf(['root', PROVINCE])).toBe(PROVINCE);
    expect(finalReviewerOf(['root'])).toBe('root');
  });
});

describe('what the bulk actions select', () => {
  it('derives each selection from its move’s rule', () => {
    expect(bulkSelection('submitAll')).toEqual({ move: 'submit', statuses: ['DRAFT'], holder: 'self', owner: 'self' });
    expect(bulkSelection('reviewAll')).toEqual({
      move: 'approve',
      statuses: ['PENDING'],
      holder: 'self',
      owner: 'any',
    });
  });

  it('selects what docs/DOMAIN.md says, and only records the unit may move one by one', () => {
    const expected: Record<BulkAction, (record: RecordPosition, unit: string) => boolean> = {
      // 全部提交: every 未提交 record held and owned by the unit.
      submitAll: (r, unit) => r.status === 'DRAFT' && r.holderOrgUnitId === unit && r.ownerOrgUnitId === unit,
      // 全部审核: every 未审核 record held by the unit.
      reviewAll: (r, unit) => r.status === 'PENDING' && r.holderOrgUnitId === unit,
    };
    for (const action of ['submitAll', 'reviewAll'] as BulkAction[])
      for (const status of RECORD_STATUSES)
        for (const holder of [COUNTY, CITY])
          for (const owner of [COUNTY, CITY])
            for (const unit of [COUNTY, CITY]) {
              const record = at(status, holder, owner);
              expect(selects(action, record, unit)).toBe(expected[action](record, unit));
              if (selects(action, record, unit)) expect(mayAct(bulkSelection(action).move, record, unit)).toBe(true);
            }
  });
});
