import { AssessmentErrorCodes } from './assessment/assessment.contract';
import { CommonErrorCodes } from './errors';
import { FilesErrorCodes } from './files/files.contract';
import { HierarchyErrorCodes } from './hierarchy/org-unit.contract';
import { AccountErrorCodes } from './identity/account.contract';
import { IdentityErrorCodes } from './identity/auth.contract';
import { IntakeErrorCodes } from './intake/import-job.contract';
import { ImportErrorCodes } from './review/import.contract';
import { RecordErrorCodes } from './review/record.contract';
import { StatsErrorCodes } from './review/stats.contract';
import { ExportErrorCodes } from './review/export.contract';

/**
 * Every error catalog, by the area that answers its codes. A code exists only here: a
 * DomainError takes nothing else, and the gateway's status table must name every one.
 */
export const ERROR_CATALOGS = {
  common: CommonErrorCodes,
  identity: IdentityErrorCodes,
  account: AccountErrorCodes,
  hierarchy: HierarchyErrorCodes,
  files: FilesErrorCodes,
  intake: IntakeErrorCodes,
  import: ImportErrorCodes,
  record: RecordErrorCodes,
  stats: StatsErrorCodes,
  export: ExportErrorCodes,
  assessment: AssessmentErrorCodes,
} as const;

type Catalogs = typeof ERROR_CATALOGS;

/** The union of every catalog's codes. */
export type ErrorCode = { [K in keyof Catalogs]: Catalogs[K][keyof Catalogs[K]] }[keyof Catalogs];

/** Every code of every catalog, once each (for documentation and for tests). */
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ERROR_CATALOGS).flatMap(
  (catalog) => Object.values(catalog) as ErrorCode[],
);

const KNOWN = new Set<string>(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}
