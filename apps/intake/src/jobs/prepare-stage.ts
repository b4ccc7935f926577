import { contentHash } from '@app/package/content-hash';
import { ReadUpload } from './read-upload';

/** Staged rows per INSERT statement: bounds the size of one statement's parameter. */
export const STAGE_BATCH_ROWS = 1000;

/**
 * A read upload as the rows intake stages for review (`IMPORT_STAGE_TABLE`), already encoded:
 * `batches` are JSON arrays of rows, each inserted by one statement. Built on the reader
 * thread, so the event loop only passes strings to PostgreSQL.
 */
export interface PreparedUpload {
  /** Valid forms. */
  forms: number;
  /** Invalid forms (and problems of no single form), with their errors. */
  invalid: number;
  batches: string[];
}

interface StageRow {
  seq: number;
  form_id: string | null;
  site_name: string;
  homepage_url: string | null;
  content: unknown;
  content_hash: string | null;
  errors: unknown;
}

/**
 * Invalid forms first (the report lists them so), then the valid ones in package order. A dry
 * run stages no content: review only needs ids, names, homepages and content hashes to say
 * what an import would do.
 */
export function prepareStage(upload: ReadUpload, withContent: boolean): PreparedUpload {
  const rows: StageRow[] = [];
  for (const form of upload.invalid)
    rows.push({
      seq: rows.length,
      form_id: form.formId,
      site_name: form.siteName,
      homepage_url: null,
      content: null,
      content_hash: null,
      errors: form.errors,
    });
  for (const form of upload.forms)
    rows.push({
      seq: rows.length,
      form_id: form.id,
      site_name: form.site.siteName,
      homepage_url: form.site.homepageUrl,
      content: withContent ? form : null,
      content_hash: contentHash(form as unknown as Record<string, unknown>),
      errors: null,
    });
  const batches: string[] = [];
  for (let start = 0; start < rows.length; start += STAGE_BATCH_ROWS)
    batches.push(JSON.stringify(rows.slice(start, start + STAGE_BATCH_ROWS)));
  return { forms: upload.forms.length, invalid: upload.invalid.length, batches };
}
