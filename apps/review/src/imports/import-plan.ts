import { ImportFieldError, ImportSummary } from '@app/contracts';
import { refusal } from '@app/workflow';
import { ImportedRecord } from '../records/record.repository';

/** What planning needs of a staged form: its id, name, homepage and content hash (not its content). */
export interface StagedForm {
  seq: number;
  id: string;
  siteName: string;
  homepageUrl: string;
  /** contentHash() of the form, computed by intake when it staged it. */
  hash: string;
}

export interface PlannedForm {
  form: StagedForm;
  hash: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  existing?: ImportedRecord;
  /**
   * An approved record's re-import is a 变更 request, never an overwrite: `new` files one (the
   * record goes to its first reviewer), `refile` replaces the form of the 变更 already pending.
   */
  change?: 'new' | 'refile';
  errors: ImportFieldError[];
  warnings: string[];
}

/**
 * Decides, per form, what an import would do — the same for a dry run and a real one:
 * new id → created; a record the workflow rules let the importer re-import (its own, not
 * finally approved, wherever it waits) → updated or unchanged, status and holder kept;
 * otherwise → rejected with the rules' reason. Warns of a homepage already filed under another
 * form of the same unit (the usual sign of one website filed twice).
 */
export function planImport(
  importerOrgUnitId: string,
  forms: StagedForm[],
  existing: Map<string, ImportedRecord>,
  ownHomepages: Map<string, string[]>,
): PlannedForm[] {
  const inPackage = new Map<string, string[]>();
  for (const form of forms)
    inPackage.set(urlKey(form.homepageUrl), [...(inPackage.get(urlKey(form.homepageUrl)) ?? []), form.id]);
  return forms.map((form) => {
    const hash = form.hash;
    const record = existing.get(form.id);
    const warnings = duplicateWarnings(form, inPackage, ownHomepages);
    if (!record) return { form, hash, outcome: 'created', errors: [], warnings };
    const afterApproval = approvedReimport(record, importerOrgUnitId, hash);
    if (afterApproval)
      return { form, hash, existing: record, ...afterApproval, warnings: [...warnings, ...afterApproval.warnings] };
    const refused = refusal('reimport', record, importerOrgUnitId);
    if (refused)
      return {
        form,
        hash,
        existing: record,
        outcome: 'rejected',
        errors: [{ field: 'id', message: refused.message }],
        warnings,
      };
    return {
      form,
      hash,
      existing: record,
      outcome: record.contentHash === hash ? 'unchanged' : 'updated',
      errors: [],
      warnings,
    };
  });
}

const REQUEST_NAMES = { CLOSE: '关停', REOPEN: '恢复', DEREGISTER: '注销' } as const;

/**
 * What re-importing the importer's own record does once the record has its 标识码 (approved,
 * or with a request travelling the chain); undefined when the ordinary rules decide.
 */
function approvedReimport(
  record: ImportedRecord,
  importerOrgUnitId: string,
  hash: string,
): Pick<PlannedForm, 'outcome' | 'change' | 'errors' | 'warnings'> | undefined {
  if (record.ownerOrgUnitId !== importerOrgUnitId) return undefined;
  const refuse = (message: string) => ({
    outcome: 'rejected' as const,
    errors: [{ field: 'id', message }],
    warnings: [],
  });
  if (record.lifecycle === 'DEREGISTERED') return refuse('该网站已注销，记录只读，不能重新导入');
  if (record.requestKind && record.requestKind !== 'CHANGE')
    return refuse(
      `该网站有待审核的${REQUEST_NAMES[record.requestKind]}申请，不能重新导入；请等待审核完成或撤回申请后再导入`,
    );
  if (record.requestKind === 'CHANGE')
    return record.requestPayloadHash === hash
      ? { outcome: 'unchanged', errors: [], warnings: [] }
      : {
          outcome: 'updated',
          change: 'refile',
          errors: [],
          warnings: ['该网站已有待审核的变更申请：本次导入更新申请的内容，审核状态不变；审核通过前仍以原内容为准'],
        };
  if (record.status !== 'APPROVED') return undefined;
  if (record.contentHash === hash) return { outcome: 'unchanged', errors: [], warnings: [] };
  return {
    outcome: 'updated',
    change: 'new',
    errors: [],
    warnings: ['该网站已审核通过：本次导入作为变更申请报送审核，审核通过前仍以原内容为准'],
  };
}

/** The counts of a plan; `invalid` forms never reached planning (rejected in the package). */
export function summarize(planned: PlannedForm[], invalid: number, dryRun: boolean): ImportSummary {
  const count = (outcome: PlannedForm['outcome']) => planned.filter((p) => p.outcome === outcome).length;
  const rejected = invalid + count('rejected');
  return {
    applied: !dryRun && rejected === 0,
    dryRun,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected,
  };
}

/** Homepage URLs compare without scheme, `www.`, case and trailing slash. */
export function urlKey(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
}

function duplicateWarnings(
  form: StagedForm,
  inPackage: Map<string, string[]>,
  ownHomepages: Map<string, string[]>,
): string[] {
  const key = urlKey(form.homepageUrl);
  const others = new Set([...(inPackage.get(key) ?? []), ...(ownHomepages.get(key) ?? [])]);
  others.delete(form.id);
  return others.size
    ? [`首页网址与本单位另外${others.size}张表相同，可能是同一网站重复填报（每个网站只填一张表）`]
    : [];
}
