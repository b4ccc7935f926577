import { ImportedRecord } from '../records/record.repository';
import { planImport, StagedForm } from './import-plan';

const OWNER = 'county';
const form: StagedForm = { seq: 1, id: 'r1', siteName: '某网站', homepageUrl: 'http://www.a.gov.cn', hash: 'new' };
const approved: ImportedRecord = {
  id: 'r1',
  ownerOrgUnitId: OWNER,
  holderOrgUnitId: 'province',
  status: 'APPROVED',
  currentVersion: 1,
  contentHash: 'old',
  homepageUrl: 'http://www.a.gov.cn',
  lifecycle: 'ACTIVE',
  requestKind: null,
  requestPayloadHash: null,
};
const plan = (record: ImportedRecord, importer = OWNER) =>
  planImport(importer, [form], new Map([[record.id, record]]), new Map())[0];

describe('re-importing an approved record (变更 by re-import)', () => {
  it('files a 变更 request for the owner, and nothing when the content is the approved one', () => {
    expect(plan(approved)).toMatchObject({ outcome: 'updated', change: 'new' });
    expect(plan(approved).warnings.join()).toContain('作为变更申请报送审核');
    expect(plan({ ...approved, contentHash: 'new' })).toMatchObject({ outcome: 'unchanged' });
  });

  it('updates a pending 变更 where it waits; refuses a pending 关停 and a 注销 site', () => {
    const pending = {
      ...approved,
      status: 'PENDING' as const,
      requestKind: 'CHANGE' as const,
      requestPayloadHash: 'x',
    };
    expect(plan(pending)).toMatchObject({ outcome: 'updated', change: 'refile' });
    expect(plan({ ...pending, requestPayloadHash: 'new' })).toMatchObject({ outcome: 'unchanged' });
    expect(plan({ ...pending, requestKind: 'CLOSE' }).errors[0].message).toContain('待审核的关停申请');
    expect(plan({ ...approved, lifecycle: 'DEREGISTERED' }).errors[0].message).toContain('已注销');
  });

  it('leaves another unit’s record to the ordinary refusal', () => {
    expect(plan(approved, 'other')).toMatchObject({ outcome: 'rejected' });
    expect(plan(approved, 'other').change).toBeUndefined();
  });
});
