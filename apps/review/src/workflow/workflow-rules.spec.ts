import { DomainError } from '@app/platform';
import { checkMove, checkOwnerChange } from './workflow-rules';

const COUNTY = 'county';
const CITY = 'city';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as DomainError).code;
  }
}

describe('workflow rules', () => {
  const draft = { ownerOrgUnitId: COUNTY, holderOrgUnitId: COUNTY, status: 'DRAFT' as const };
  const pendingAtCity = { ...draft, holderOrgUnitId: CITY, status: 'PENDING' as const };

  it('lets only the owner submit, and only what it holds as 未提交 or 已退回', () => {
    expect(codeOf(() => checkMove(draft, COUNTY, 'submit'))).toBeUndefined();
    expect(codeOf(() => checkMove({ ...draft, status: 'RETURNED' }, COUNTY, 'submit'))).toBeUndefined();
    expect(codeOf(() => checkMove(draft, CITY, 'submit'))).toBe('NOT_RECORD_OWNER');
    expect(codeOf(() => checkMove(pendingAtCity, COUNTY, 'submit'))).toBe('RECORD_STATE_CONFLICT');
  });

  it('lets the holder approve 未审核 records only', () => {
    expect(codeOf(() => checkMove(pendingAtCity, CITY, 'approve'))).toBeUndefined();
    expect(codeOf(() => checkMove(pendingAtCity, COUNTY, 'approve'))).toBe('RECORD_STATE_CONFLICT');
    expect(codeOf(() => checkMove({ ...pendingAtCity, status: 'APPROVED' }, CITY, 'approve'))).toBe(
      'RECORD_STATE_CONFLICT',
    );
    expect(codeOf(() => checkMove(draft, COUNTY, 'approve'))).toBe('RECORD_STATE_CONFLICT');
  });

  it('lets a holder that is not the owner return 未审核, 已审核 or 已退回 records', () => {
    for (const status of ['PENDING', 'APPROVED', 'RETURNED'] as const)
      expect(codeOf(() => checkMove({ ...pendingAtCity, status }, CITY, 'return'))).toBeUndefined();
    expect(codeOf(() => checkMove({ ...draft, status: 'RETURNED' }, COUNTY, 'return'))).toBe('RECORD_STATE_CONFLICT');
    expect(codeOf(() => checkMove({ ...pendingAtCity, status: 'DRAFT' }, CITY, 'return'))).toBe(
      'RECORD_STATE_CONFLICT',
    );
  });

  it('allows edit and delete only to the owner while the record is back with it', () => {
    expect(codeOf(() => checkOwnerChange(draft, COUNTY, '修改'))).toBeUndefined();
    expect(codeOf(() => checkOwnerChange({ ...draft, status: 'RETURNED' }, COUNTY, '删除'))).toBeUndefined();
    expect(codeOf(() => checkOwnerChange(pendingAtCity, COUNTY, '修改'))).toBe('RECORD_STATE_CONFLICT');
    expect(codeOf(() => checkOwnerChange({ ...draft, status: 'APPROVED' }, COUNTY, '删除'))).toBe(
      'RECORD_STATE_CONFLICT',
    );
    expect(codeOf(() => checkOwnerChange(pendingAtCity, CITY, '修改'))).toBe('NOT_RECORD_OWNER');
  });
});
