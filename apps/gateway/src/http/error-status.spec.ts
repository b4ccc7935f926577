import { ERROR_CATALOGS, ERROR_CODES } from '@app/contracts';
import { codeForHttpStatus, httpStatusFor, statusOf } from './error-status';

describe('httpStatusFor', () => {
  it.each([
    ['VALIDATION_FAILED', 400],
    ['UNAUTHENTICATED', 401],
    ['INVALID_CREDENTIALS', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['METHOD_NOT_ALLOWED', 405],
    ['CONFLICT', 409],
    ['PAYLOAD_TOO_LARGE', 413],
    ['UNSUPPORTED_MEDIA_TYPE', 415],
    ['RATE_LIMITED', 429],
    ['INTERNAL_ERROR', 500],
    ['SERVICE_UNAVAILABLE', 503],
    ['RECORD_NOT_FOUND', 404],
    ['NOT_RECORD_OWNER', 403],
    ['RECORD_STATE_CONFLICT', 409],
    ['SITE_CODES_EXHAUSTED', 409],
    ['RECORD_FORM_INVALID', 422],
    ['ORG_UNIT_NOT_FOUND', 404],
    ['IMPORT_INCOMPLETE', 503],
  ])('maps %s to %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it('gives every catalogued code an error status of its own; only internal failures are 500', () => {
    for (const code of ERROR_CODES) {
      const status = statusOf(code);
      expect([code, status >= 400 && status < 600]).toEqual([code, true]);
      expect(httpStatusFor(code)).toBe(status);
    }
    expect(ERROR_CODES.filter((code) => statusOf(code) === 500).sort()).toEqual(['IMPORT_FAILED', 'INTERNAL_ERROR']);
  });

  it('has each code in one catalog only, spelled as its key', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const catalog of Object.values(ERROR_CATALOGS))
      for (const [key, code] of Object.entries(catalog)) expect(code).toBe(key);
  });

  it('shows a code nobody catalogued as 500, never as the client’s fault', () => {
    expect(httpStatusFor('SOMETHING_NEW')).toBe(500);
  });

  it('gives Nest’s own HTTP errors a catalogued code and a Chinese message that map back to the status', () => {
    expect(codeForHttpStatus(404)).toEqual({ code: 'NOT_FOUND', message: '请求的资源不存在' });
    for (const status of [400, 401, 403, 404, 405, 413, 415, 429, 500]) {
      const { code, message } = codeForHttpStatus(status);
      expect([status, httpStatusFor(code)]).toEqual([status, status]);
      expect(message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
