import { HttpStatus } from '@nestjs/common';
import { CommonErrorCodes, ErrorCode, isErrorCode } from '@app/contracts';

/** The one place where error codes become HTTP statuses. */
export function httpStatusFor(code: string): number {
  // A stray code (see DomainError.fromEnvelope) is a defect of ours: 500, never the client's fault.
  return isErrorCode(code) ? statusOf(code) : HttpStatus.INTERNAL_SERVER_ERROR;
}

/** Exhaustive over every catalog: a code added without a status here fails `tsc`. */
export function statusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'WEAK_PASSWORD':
    case 'WRONG_PASSWORD':
    case 'INVALID_CONTACT':
    case 'INVALID_UNIT_CODE':
    case 'UNSUPPORTED_FILE':
    case 'ASSESSMENT_UNKNOWN_ITEM':
    case 'ASSESSMENT_INVALID_ANSWER':
      return HttpStatus.BAD_REQUEST;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
    case 'INVALID_SITE_CREDENTIALS':
      return HttpStatus.UNAUTHORIZED;
    case 'FORBIDDEN':
    case 'OUTSIDE_SUBTREE':
    case 'PASSWORD_CHANGE_REQUIRED':
    case 'RESET_PROOF_MISMATCH':
    case 'NOT_RECORD_OWNER':
    case 'SITE_NOT_ACTIVE':
      return HttpStatus.FORBIDDEN;
    case 'NOT_FOUND':
    case 'ACCOUNT_NOT_FOUND':
    case 'ORG_UNIT_NOT_FOUND':
    case 'NODE_REQUEST_NOT_FOUND':
    case 'FILE_NOT_FOUND':
    case 'RECORD_NOT_FOUND':
    case 'IMPORT_NOT_FOUND':
    case 'EXPORT_NOT_FOUND':
    case 'SITE_NOT_FOUND':
    case 'INSPECTION_NOT_FOUND':
    case 'EVIDENCE_NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'METHOD_NOT_ALLOWED':
      return HttpStatus.METHOD_NOT_ALLOWED;
    case 'CONFLICT':
    case 'UNIT_CODE_TAKEN':
    case 'NODE_REQUEST_DECIDED':
    case 'RECORD_STATE_CONFLICT':
    case 'SITE_CODES_EXHAUSTED':
    case 'RECORD_DEREGISTERED':
    case 'RECORD_REQUEST_PENDING':
    case 'ZERO_REPORT_HAS_RECORDS':
    case 'ZERO_REPORT_NOT_DECLARED':
    case 'EXPORT_TOO_LARGE':
    case 'ASSESSMENT_ALREADY_SUBMITTED':
    case 'ASSESSMENT_NOT_SUBMITTED':
    case 'INSPECTION_CLOSED':
    case 'SITE_NOT_MONITORED':
    case 'EVIDENCE_LIMIT_REACHED':
      return HttpStatus.CONFLICT;
    case 'PAYLOAD_TOO_LARGE':
    case 'UPLOAD_QUOTA_EXCEEDED':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'EVIDENCE_TYPE_NOT_ALLOWED':
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case 'RECORD_FORM_INVALID':
    case 'RECORD_REQUEST_INVALID':
    case 'ASSESSMENT_INCOMPLETE':
    case 'INSPECTION_NO_SITES':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'ACCOUNT_LOCKED':
      return HttpStatus.LOCKED;
    case 'RATE_LIMITED':
    case 'UPLOAD_LIMIT_REACHED':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'INTERNAL_ERROR':
    case 'IMPORT_FAILED': // written into a job that gave up (GET answers 200); as a status, ours to fix
      return HttpStatus.INTERNAL_SERVER_ERROR;
    case 'SERVICE_UNAVAILABLE':
    case 'SERVICE_STARTING':
    case 'IMPORT_INCOMPLETE': // between intake and review only: the job is retried later
      return HttpStatus.SERVICE_UNAVAILABLE;
    default:
      return unreachable(code);
  }
}

function unreachable(code: never): never {
  throw new Error(`no HTTP status for error code ${String(code)}`);
}

/** For Nest's own HTTP errors (unknown route, wrong method, body too large…). */
export function codeForHttpStatus(status: number): { code: ErrorCode; message: string } {
  switch (status) {
    case 400:
      return { code: CommonErrorCodes.VALIDATION_FAILED, message: '请求格式有误' };
    case 401:
      return { code: CommonErrorCodes.UNAUTHENTICATED, message: '请先登录' };
    case 403:
      return { code: CommonErrorCodes.FORBIDDEN, message: '没有权限执行此操作' };
    case 404:
      return { code: CommonErrorCodes.NOT_FOUND, message: '请求的资源不存在' };
    case 405:
      return { code: CommonErrorCodes.METHOD_NOT_ALLOWED, message: '不支持此请求方法' };
    case 413:
      return { code: CommonErrorCodes.PAYLOAD_TOO_LARGE, message: '上传内容超过大小限制' };
    case 415:
      return { code: CommonErrorCodes.UNSUPPORTED_MEDIA_TYPE, message: '不支持的内容类型' };
    case 429:
      return { code: CommonErrorCodes.RATE_LIMITED, message: '请求过于频繁，请稍后再试' };
    default:
      return status >= 500
        ? { code: CommonErrorCodes.INTERNAL_ERROR, message: '系统内部错误' }
        : { code: CommonErrorCodes.VALIDATION_FAILED, message: '请求有误' };
  }
}
