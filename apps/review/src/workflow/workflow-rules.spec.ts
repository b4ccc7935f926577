import { DomainError } from '@app/platform';
import { RecordPosition, WorkflowAction } from '@app/workflow';
import { checkAction } from './workflow-rules';

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

// The rules themselves are tabled and tested in @app/workflow; this is how review answers a refusal.
describe('workflow rules as review answers them', () => {
  const draft: RecordPosition = { ownerOrgUnitId: COUNTY, holderOrgUnitId: COUNTY, status: 'DRAFT' };
  const pendingAtCity: RecordPosition = { ...draft, holderOrgUnitId: CITY, status: 'PENDING' };

  it.each<[WorkflowAction, RecordPosition, string, string | undefined]>([
    ['submit', draft, COUNTY, undefined],
    ['submit', draft, CITY, 'NOT_RECORD_OWNER'],
    ['submit', pendingAtCity, COUNTY, 'RECORD_STATE_CONFLICT'],
    ['approve', pendingAtCity, CITY, undefined],
    ['approve', pendingAtCity, COUNTY, 'RECORD_STATE_CONFLICT'],
    ['return', { ...draft, status: 'RETURNED' as const }, COUNTY, 'RECORD_STATE_CONFLICT'],
    ['edit', pendingAtCity, COUNTY, 'RECORD_STATE_CONFLICT'],
    ['edit', pendingAtCity, CITY, 'NOT_RECORD_OWNER'],
    ['delete', { ...draft, status: 'APPROVED' as const }, COUNTY, 'RECORD_STATE_CONFLICT'],
    ['delete', draft, COUNTY, undefined],
  ])('%s %j by %s → %s', (action, record, unit, code) => {
    expect(codeOf(() => checkAction(record, unit, action))).toBe(code);
  });
});
