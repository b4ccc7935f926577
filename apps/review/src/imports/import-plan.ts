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
