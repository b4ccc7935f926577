import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { CommonErrorCodes, ErrorEnvelope } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { Observable, throwError } from 'rxjs';
import { DomainError } from './domain-error';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './unavailable';

/**
 * Turns whatever a bus handler throws into an ErrorEnvelope. A DomainError keeps its code;
 * an unreachable database becomes SERVICE_UNAVAILABLE (503, retry later); anything else is logged with an error id and leaves as INTERNAL_ERROR carrying only that
 * id, so no stack or internal message crosses the bus.
 */
@Catch()
export class BusExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('BusExceptionFilter');

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => toEnvelope(exception, this.logger));
  }
}

export function toEnvelope(exception: unknown, logger: Logger): ErrorEnvelope {
  if (exception instanceof DomainError) return exception.toEnvelope();
  if (isDatabaseUnavailable(exception)) {
    logger.warn({
      msg: 'database unavailable',
      error: exception instanceof Error ? exception.message : String(exception),
    });
    return new DatabaseUnavailableError().toEnvelope();
  }
  const errorId = randomUUID();
  logger.error(
    { msg: 'unexpected error', errorId, error: exception instanceof Error ? exception.message : String(exception) },
    exception instanceof Error ? exception.stack : undefined,
  );
  return {
    code: CommonErrorCodes.INTERNAL_ERROR,
    message: '系统内部错误，请联系技术支持并提供错误编号',
    details: { errorId },
  };
}
