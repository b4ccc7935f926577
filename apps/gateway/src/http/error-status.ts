import { HttpStatus } from '@nestjs/common';
import {
  AccountErrorCodes,
  CommonErrorCodes,
  FilesErrorCodes,
  HierarchyErrorCodes,
  IdentityErrorCodes,
  IntakeErrorCodes,
  RecordErrorCodes,
} from '@app/contracts';

type CodeOf<T> = T[keyof T];
type KnownCode =
  | CodeOf<typeof CommonErrorCodes>
  | CodeOf<typeof IdentityErrorCodes>
  | CodeOf<typeof AccountErrorCodes>
  | CodeOf<typeof HierarchyErrorCodes>
  | CodeOf<typeof FilesErrorCodes>
  | CodeOf<typeof IntakeErrorCodes>
  | CodeOf<typeof RecordErrorCodes>;

/** The one place where error codes become HTTP statuses. */
export function httpStatusFor(code: string): number {
  const known = code as KnownCode;
  switch (known) {
    case 'VALIDATION_FAILED':
    case 'WEAK_PASSWORD':
    case 'WRONG_PASSWORD':
    case 'INVALID_CONTACT':
    case 'INVALID_UNIT_CODE':
    case 'UNSUPPORTED_FILE':
      return HttpStatus.BAD_REQUEST;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
      return HttpStatus.UNAUTHORIZED;
    case 'FORBIDDEN':
    case 'OUTSIDE_SUBTREE':
    case 'PASSWORD_CHANGE_REQUIRED':
    case 'RESET_PROOF_MISMATCH':
    case 'NOT_RECORD_OWNER':
      return HttpStatus.FORBIDDEN;
    case 'NOT_FOUND':
    case 'ACCOUNT_NOT_FOUND':
    case 'ORG_UNIT_NOT_FOUND':
    case 'NODE_REQUEST_NOT_FOUND':
    case 'FILE_NOT_FOUND':
    case 'RECORD_NOT_FOUND':
    case 'IMPORT_NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'CONFLICT':
    case 'UNIT_CODE_TAKEN':
    case 'NODE_REQUEST_DECIDED':
    case 'RECORD_STATE_CONFLICT':
    case 'SITE_CODES_EXHAUSTED':
      return HttpStatus.CONFLICT;
    case 'RECORD_FORM_INVALID':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'ACCOUNT_LOCKED':
      return HttpStatus.LOCKED;
    case 'PAYLOAD_TOO_LARGE':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'RATE_LIMITED':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'SERVICE_UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
    case 'INTERNAL_ERROR':
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return unknownCode(known);
  }
}

/** A code no case names is a defect of ours: it shows as 500, never as the client's fault. */
function unknownCode(code: never): number {
  void code;
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

/** For Nest's own HTTP errors (unknown route, wrong method, body too large…). */
export function codeForHttpStatus(status: number): { code: string; message: string } {
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
      return { code: 'METHOD_NOT_ALLOWED', message: '不支持此请求方法' };
    case 413:
      return { code: CommonErrorCodes.PAYLOAD_TOO_LARGE, message: '上传内容超过大小限制' };
    case 415:
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型' };
    case 429:
      return { code: CommonErrorCodes.RATE_LIMITED, message: '请求过于频繁，请稍后再试' };
    default:
      return status >= 500
        ? { code: CommonErrorCodes.INTERNAL_ERROR, message: '系统内部错误' }
        : { code: CommonErrorCodes.VALIDATION_FAILED, message: '请求有误' };
  }
}
