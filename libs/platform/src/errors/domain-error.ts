import { CommonErrorCodes, ErrorEnvelope } from '@app/contracts';

/**
 * An expected failure with a stable code and a Chinese message. Services throw it; the
 * bus exception filter turns it into an ErrorEnvelope; the gateway maps the code to HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
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

  static fromEnvelope(envelope: ErrorEnvelope): DomainError {
    return new DomainError(envelope.code, envelope.message, envelope.details);
  }
}

/** The bus gave no answer in time, or the service is not running. */
export class ServiceUnavailableError extends DomainError {
  constructor(readonly subject: string) {
    super(CommonErrorCodes.SERVICE_UNAVAILABLE, '服务暂时不可用，请稍后重试', { subject });
  }
}
