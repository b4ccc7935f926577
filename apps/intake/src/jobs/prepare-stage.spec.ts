import { createSampleForm, validateForm } from '@app/forms';
import { contentHash } from '@app/package/content-hash';
import { prepareStage, STAGE_BATCH_ROWS } from './prepare-stage';

describe('prepareStage', () => {
  const forms = Array.from({ length: STAGE_BATCH_ROWS + 5 }, (_, n) => createSampleForm(n));
  const invalid = [{ formId: 'x', siteName: '坏表', errors: [{ field: 'site.siteName', message: '必填' }] }];

  it('stages the invalid forms first, then the valid ones in order, in batches of STAGE_BATCH_ROWS', () => {
    const prepared = prepareStage({ forms, invalid }, true);
    expect(prepared).toMatchObject({ forms: forms.length, invalid: 1 });
    const rows = prepared.batches.flatMap((batch) => JSON.parse(batch) as Array<Record<string, unknown>>);
    expect(prepared.batches).toHaveLength(2);
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, n) => n));
    expect(rows[0]).toMatchObject({ form_id: 'x', site_name: '坏表', content: null, errors: invalid[0].errors });
    expect(rows[1]).toMatchObject({
      form_id: forms[0].id,
      site_name: forms[0].site.siteName,
      homepage_url: forms[0].site.homepageUrl,
      errors: null,
    });
    expect(rows[1].content).toEqual(JSON.parse(JSON.stringify(forms[0])));
  });

  it('hashes a form as review would hash it after the round trip through JSON and validation', () => {
    const rows = JSON.parse(prepareStage({ forms: forms.slice(0, 3), invalid: [] }, true).batches[0]);
    for (const [n, row] of rows.entries()) {
      const again = validateForm(JSON.parse(JSON.stringify(forms[n])));
      expect(again.ok).toBe(true);
      expect(row.content_hash).toBe(contentHash(again.ok ? (again.value as unknown as Record<string, unknown>) : {}));
    }
  });

  it('stages no content for a dry run, only what planning needs', () => {
    const rows = JSON.parse(prepareStage({ forms: forms.slice(0, 2), invalid: [] }, false).batches[0]);
    expect(rows.map((row: { content: unknown }) => row.content)).toEqual([null, null]);
    expect(rows[0].content_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
