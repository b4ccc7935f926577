/**
 * Every error that crosses the bus or reaches an HTTP client has this shape. `code` is
 * stable (clients branch on it), `message` is Chinese for the person reading it.
 */
export interface ErrorEnvelope {
  code: string;
  message: string;
  details?: unknown;
}

/** Codes shared by every service. Domain codes live beside their contracts; `error-codes.ts` unites them. */
export const CommonErrorCodes = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The route exists, not with this HTTP method (gateway only). */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** A body in a content type or charset the route does not take (gateway only). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The first start is still creating the preset tree, its accounts and workbooks (gateway only). */
  SERVICE_STARTING: 'SERVICE_STARTING',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type CommonErrorCode = (typeof CommonErrorCodes)[keyof typeof CommonErrorCodes];

export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.message === 'string';
}
