import { codeForHttpStatus, httpStatusFor } from './error-status';

describe('httpStatusFor', () => {
  it.each([
    ['VALIDATION_FAILED', 400],
    ['UNAUTHENTICATED', 401],
    ['INVALID_CREDENTIALS', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['PAYLOAD_TOO_LARGE', 413],
    ['RATE_LIMITED', 429],
    ['INTERNAL_ERROR', 500],
    ['SERVICE_UNAVAILABLE', 503],
    ['RECORD_NOT_FOUND', 404],
    ['NOT_RECORD_OWNER', 403],
    ['RECORD_STATE_CONFLICT', 409],
    ['SITE_CODES_EXHAUSTED', 409],
    ['RECORD_FORM_INVALID', 422],
  ])('maps %s to %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it('shows a code nobody mapped as 500, never as the client’s fault', () => {
    expect(httpStatusFor('SOMETHING_NEW')).toBe(500);
  });

  it('gives Nest’s own HTTP errors a code and a Chinese message', () => {
    expect(codeForHttpStatus(404)).toEqual({ code: 'NOT_FOUND', message: '请求的资源不存在' });
    expect(codeForHttpStatus(413).code).toBe('PAYLOAD_TOO_LARGE');
  });
});
