import { CommonErrorCodes, ErrorCode, ErrorEnvelope } from '@app/contracts';

/**
 * An expected failure with a stable code and a Chinese message. Services throw it; the
 * bus exception filter turns it into an ErrorEnvelope; the gateway maps the code to HTTP.
 * The code is one of the catalogs' (`ErrorCode`): a bare string does not compile.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toEnvelope(): ErrorEnvelope {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /**
   * An envelope off the bus. Every service is built from the same catalogs, so its code is
   * one of ours; should a stray one arrive anyway, it is kept as sent for the logs and the
   * gateway answers it as 500 (`httpStatusFor`).
   */
  static fromEnvelope(envelope: ErrorEnvelope): DomainError {
    return new DomainError(envelope.code as ErrorCode, envelope.message, envelope.details);
  }
}

/** Seconds a client is told to wait (`Retry-After`) when a service or a dependency of ours is down. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The bus gave no answer in time, or the service is not running. */
export class ServiceUnavailableError extends DomainError {
  constructor(
    readonly subject: string,
    /**
     * False only when certainly nobody received the request (no service subscribed: "no
     * responders"), so it had no effect. True after a timeout or a broken connection: the
     * service may have acted on it and its answer been lost.
     */
    readonly mayHaveArrived = true,
  ) {
    super(CommonErrorCodes.SERVICE_UNAVAILABLE, '服务暂时不可用，请稍后重试', {
      subject,
      retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
    });
  }
}
