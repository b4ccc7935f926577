import { createSampleForm } from '@app/forms';
import { contentDiff } from './content-diff';

describe('contentDiff (变更 field by field)', () => {
  it('names each changed field with its label and both values as users read them', () => {
    const current = createSampleForm(3) as unknown as Record<string, unknown>;
    const requested = JSON.parse(JSON.stringify(current)) as {
      principal: { mobile: string };
      site: { siteName: string };
      columns: unknown[];
    };
    requested.principal.mobile = '13900000000';
    requested.columns.pop();
    const changes = contentDiff(current, requested as unknown as Record<string, unknown>);
    const mobile = changes.find((change) => change.path === 'principal.mobile');
    expect(mobile).toMatchObject({ label: '负责人手机', after: '13900000000' });
    expect(mobile?.before).not.toBe('13900000000');
    expect(changes.some((change) => change.path.startsWith('columns[') && change.after === '')).toBe(true);
    expect(changes.some((change) => change.path === 'site.siteName')).toBe(false);
    expect(contentDiff(current, current)).toEqual([]);
  });
});
