// Decorated payload classes need the metadata API before they are defined.
import 'reflect-metadata';

export * from './services';
export * from './subject';
export * from './errors';
export * from './health/health.contract';
export * from './identity/roles';
export * from './identity/auth.contract';
export * from './common/actor';
export * from './common/audit.contract';
export * from './common/audit-actions';
export * from './common/date-time';
export * from './common/xlsx';
export * from './common/text';
export * from './hierarchy/org-unit.contract';
export * from './hierarchy/node-request.contract';
export * from './identity/account.contract';
export * from './files/files.contract';
export * from './notification/notification.contract';
export * from './review/import.contract';
export * from './intake/import-job.contract';
export * from './review/record.contract';
export * from './review/stats.contract';
export * from './review/export.contract';
export * from './review/record-words';
export * from './assessment/assessment.contract';
export * from './assessment/monitoring.contract';
export * from './error-codes';
