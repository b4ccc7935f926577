import { ImportFieldError, ImportFormReport, ImportReport, InvalidImportForm } from '@app/contracts';
import { refusal } from '@app/workflow';
import { ImportedRecord } from '../records/record.repository';
import { contentHash } from './content-hash';

export interface StagedForm {
  id: string;
  site: { siteName: string; homepageUrl: string };
  [key: string]: unknown;
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
    inPackage.set(urlKey(form.site.homepageUrl), [...(inPackage.get(urlKey(form.site.homepageUrl)) ?? []), form.id]);
  return forms.map((form) => {
    const hash = contentHash(form);
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

export function buildReport(planned: PlannedForm[], invalid: InvalidImportForm[], dryRun: boolean): ImportReport {
  const forms: ImportFormReport[] = [
    ...invalid.map((form) => ({
      formId: form.formId,
      siteName: form.siteName,
      outcome: 'rejected' as const,
      errors: form.errors,
      warnings: [],
    })),
    ...planned.map((p) => ({
      formId: p.form.id,
      siteName: p.form.site.siteName,
      outcome: p.outcome,
      errors: p.errors,
      warnings: p.warnings,
    })),
  ];
  const count = (outcome: ImportFormReport['outcome']) => forms.filter((form) => form.outcome === outcome).length;
  const rejected = count('rejected');
  return {
    applied: !dryRun && rejected === 0,
    dryRun,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected,
    forms,
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
  const key = urlKey(form.site.homepageUrl);
  const others = new Set([...(inPackage.get(key) ?? []), ...(ownHomepages.get(key) ?? [])]);
  others.delete(form.id);
  return others.size
    ? [`首页网址与本单位另外${others.size}张表相同，可能是同一网站重复填报（每个网站只填一张表）`]
    : [];
}
