import { ErrorCode } from '@app/contracts';

/** Every code of the catalogs in libs/contracts. */
export type CatalogCode = ErrorCode;

// Answers any route may give for reasons of its own kind, combined below per route.
/** Any route that asks a service over the bus: the service is down or too slow (503); a defect (500). */
const BUS: CatalogCode[] = ['SERVICE_UNAVAILABLE', 'INTERNAL_ERROR'];
/** A route that needs a valid token and a changed initial password. */
const SIGNED_IN: CatalogCode[] = ['UNAUTHENTICATED', 'PASSWORD_CHANGE_REQUIRED'];
/** Malformed input: body, query or a path id that is not a UUID. */
const INPUT: CatalogCode[] = ['VALIDATION_FAILED'];
/** A JSON body: malformed or invalid (400), or over the 1 MB body limit (413). */
const BODY: CatalogCode[] = [...INPUT, 'PAYLOAD_TOO_LARGE'];
/** 报送记录 routes: unit accounts only. */
const RECORDS: CatalogCode[] = [...SIGNED_IN, 'FORBIDDEN', ...INPUT, ...BUS];

/**
 * The error codes each gateway operation can answer, in ONE place: the OpenAPI document
 * shows them per HTTP status (`ApiErrors`), and the status of each comes from
 * `httpStatusFor`, the same switch that answers real requests.
 */
export const OPERATION_ERRORS = {
  'health.check': ['INTERNAL_ERROR'],
  'auth.login': [...BODY, 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'RATE_LIMITED', 'SERVICE_STARTING', ...BUS],
  'auth.changePassword': [
    'UNAUTHENTICATED',
    'FORBIDDEN',
    ...BODY,
    'WRONG_PASSWORD',
    'WEAK_PASSWORD',
    'ACCOUNT_NOT_FOUND',
    'ACCOUNT_LOCKED',
    'RATE_LIMITED',
    ...BUS,
  ],
  'auth.me': ['UNAUTHENTICATED', 'FORBIDDEN', ...BUS],
  'auth.logout': ['UNAUTHENTICATED', 'FORBIDDEN', 'ACCOUNT_NOT_FOUND', ...BUS],
  'siteAuth.login': [
    ...BODY,
    'INVALID_SITE_CREDENTIALS',
    'SITE_NOT_ACTIVE',
    'ACCOUNT_LOCKED',
    'RATE_LIMITED',
    'SERVICE_STARTING',
    ...BUS,
  ],
  'imports.start': [
    ...SIGNED_IN,
    'FORBIDDEN',
    ...INPUT,
    'PAYLOAD_TOO_LARGE',
    'UPLOAD_QUOTA_EXCEEDED',
    'UPLOAD_LIMIT_REACHED',
    'RATE_LIMITED',
    ...BUS,
  ],
  'imports.list': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, ...BUS],
  'imports.get': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'IMPORT_NOT_FOUND', ...BUS],
  'imports.package': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'IMPORT_NOT_FOUND', ...BUS],
  'imports.report': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'IMPORT_NOT_FOUND', ...BUS],
  'orgUnits.get': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'ORG_UNIT_NOT_FOUND', 'OUTSIDE_SUBTREE', ...BUS],
  'orgUnits.children': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'ORG_UNIT_NOT_FOUND', 'OUTSIDE_SUBTREE', ...BUS],
  'orgUnits.updateContact': [...SIGNED_IN, 'FORBIDDEN', ...BODY, 'INVALID_CONTACT', 'ORG_UNIT_NOT_FOUND', ...BUS],
  'nodeRequests.create': [...SIGNED_IN, 'FORBIDDEN', ...BODY, 'INVALID_UNIT_CODE', 'UNIT_CODE_TAKEN', ...BUS],
  'nodeRequests.list': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, ...BUS],
  'nodeRequests.approve': [
    ...SIGNED_IN,
    'FORBIDDEN',
    ...INPUT,
    'NODE_REQUEST_NOT_FOUND',
    'NODE_REQUEST_DECIDED',
    'UNIT_CODE_TAKEN',
    ...BUS,
  ],
  'nodeRequests.reject': [...SIGNED_IN, 'FORBIDDEN', ...BODY, 'NODE_REQUEST_NOT_FOUND', 'NODE_REQUEST_DECIDED', ...BUS],
  'files.list': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, ...BUS],
  'files.download': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'FILE_NOT_FOUND', ...BUS],
  'notices.list': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, ...BUS],
  'notices.markRead': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'NOT_FOUND', ...BUS],
  'admin.findAccounts': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, ...BUS],
  'admin.resetPassword': [...SIGNED_IN, 'FORBIDDEN', ...BODY, 'RESET_PROOF_MISMATCH', ...BUS],
  'admin.unlock': [...SIGNED_IN, 'FORBIDDEN', 'ACCOUNT_NOT_FOUND', ...BUS],
  'admin.audit': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, ...BUS],
  'admin.auditActions': [...SIGNED_IN, 'FORBIDDEN'],
  'admin.auditVerify': [...SIGNED_IN, 'FORBIDDEN', ...BUS],
  'admin.auditExport': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'EXPORT_TOO_LARGE', ...BUS],
  'forms.list': RECORDS,
  'forms.export': [...RECORDS, 'PAYLOAD_TOO_LARGE'],
  'exports.create': [...RECORDS, 'PAYLOAD_TOO_LARGE'],
  'exports.get': [...RECORDS, 'EXPORT_NOT_FOUND'],
  'exports.download': [...RECORDS, 'EXPORT_NOT_FOUND'],
  'forms.submitAll': RECORDS,
  'forms.reviewAll': [...RECORDS, 'SITE_CODES_EXHAUSTED'],
  'forms.get': [...RECORDS, 'RECORD_NOT_FOUND'],
  'forms.update': [
    ...RECORDS,
    'PAYLOAD_TOO_LARGE',
    'RECORD_NOT_FOUND',
    'NOT_RECORD_OWNER',
    'RECORD_STATE_CONFLICT',
    'RECORD_FORM_INVALID',
    'RECORD_DEREGISTERED',
    'RECORD_REQUEST_PENDING',
  ],
  'forms.remove': [
    ...RECORDS,
    'RECORD_NOT_FOUND',
    'NOT_RECORD_OWNER',
    'RECORD_STATE_CONFLICT',
    'RECORD_DEREGISTERED',
    'RECORD_REQUEST_PENDING',
  ],
  'forms.history': [...RECORDS, 'RECORD_NOT_FOUND'],
  'forms.submit': [...RECORDS, 'RECORD_NOT_FOUND', 'NOT_RECORD_OWNER', 'RECORD_STATE_CONFLICT'],
  'forms.approve': [...RECORDS, 'RECORD_NOT_FOUND', 'RECORD_STATE_CONFLICT', 'SITE_CODES_EXHAUSTED'],
  'forms.return': [...RECORDS, 'PAYLOAD_TOO_LARGE', 'RECORD_NOT_FOUND', 'RECORD_STATE_CONFLICT', 'RECORD_DEREGISTERED'],
  'forms.changeRequest': [
    ...RECORDS,
    'PAYLOAD_TOO_LARGE',
    'RECORD_NOT_FOUND',
    'NOT_RECORD_OWNER',
    'RECORD_STATE_CONFLICT',
    'RECORD_FORM_INVALID',
    'RECORD_DEREGISTERED',
    'RECORD_REQUEST_PENDING',
    'RECORD_REQUEST_INVALID',
  ],
  'forms.lifecycleRequest': [
    ...RECORDS,
    ...BODY,
    'RECORD_NOT_FOUND',
    'NOT_RECORD_OWNER',
    'RECORD_STATE_CONFLICT',
    'RECORD_DEREGISTERED',
    'RECORD_REQUEST_PENDING',
    'RECORD_REQUEST_INVALID',
  ],
  'forms.withdrawRequest': [...RECORDS, 'RECORD_NOT_FOUND', 'NOT_RECORD_OWNER', 'RECORD_STATE_CONFLICT'],
  'orgUnits.declareZeroReport': [...RECORDS, ...BODY, 'ZERO_REPORT_HAS_RECORDS', 'ZERO_REPORT_NOT_DECLARED'],
  'orgUnits.withdrawZeroReport': [...RECORDS, 'ZERO_REPORT_NOT_DECLARED'],
  'stats.units': [...RECORDS, 'ORG_UNIT_NOT_FOUND', 'OUTSIDE_SUBTREE'],
  'stats.export': [...RECORDS, 'ORG_UNIT_NOT_FOUND', 'OUTSIDE_SUBTREE'],
  'stats.remind': [...RECORDS, 'PAYLOAD_TOO_LARGE'],
  'public.formSchema': ['INTERNAL_ERROR'],
  'public.siteCodeRecovery': [...BODY, 'RATE_LIMITED', ...BUS],
  'selfAssessment.get': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'SITE_NOT_FOUND', ...BUS],
  'selfAssessment.save': [
    ...SIGNED_IN,
    'FORBIDDEN',
    ...BODY,
    'SITE_NOT_FOUND',
    'ASSESSMENT_UNKNOWN_ITEM',
    'ASSESSMENT_INVALID_ANSWER',
    'ASSESSMENT_ALREADY_SUBMITTED',
    ...BUS,
  ],
  'selfAssessment.submit': [
    ...SIGNED_IN,
    'FORBIDDEN',
    ...INPUT,
    'SITE_NOT_FOUND',
    'ASSESSMENT_INCOMPLETE',
    'ASSESSMENT_ALREADY_SUBMITTED',
    ...BUS,
  ],
  'selfAssessment.reopen': [...SIGNED_IN, 'FORBIDDEN', ...BODY, 'SITE_NOT_FOUND', 'ASSESSMENT_NOT_SUBMITTED', ...BUS],
  'monitoring.get': [...SIGNED_IN, 'FORBIDDEN', ...INPUT, 'SITE_NOT_FOUND', ...BUS],
  'monitoring.probe': [
    ...SIGNED_IN,
    'FORBIDDEN',
    ...INPUT,
    'SITE_NOT_FOUND',
    'SITE_NOT_MONITORED',
    'RATE_LIMITED',
    ...BUS,
  ],
} satisfies Record<string, CatalogCode[]>;

export type OperationName = keyof typeof OPERATION_ERRORS;
