import { CommonErrorCodes } from '@app/contracts';
import { DomainError, UNAVAILABLE_RETRY_AFTER_SECONDS } from './domain-error';

/** What a user reads while the database is down: nothing they did is wrong, it passes. */
export const SYSTEM_UNAVAILABLE_MESSAGE = '系统暂时不可用，请稍后再试';

/**
 * The database could not be reached (down, restarting, refusing connections, the connection
 * cut mid-query). 503 at the gateway with `Retry-After`, never a 500: the request was fine and
 * the same request works once PostgreSQL is back; the pool reconnects by itself.
 */
export class DatabaseUnavailableError extends DomainError {
  constructor() {
    super(CommonErrorCodes.SERVICE_UNAVAILABLE, SYSTEM_UNAVAILABLE_MESSAGE, {
      dependency: 'database',
      retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
    });
  }
}

/** Socket-level failures reaching the server (node's error codes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * PostgreSQL SQLSTATEs meaning "the server, not the statement": class 08 (connection
 * exception), 57P01–57P03 (admin/crash shutdown, cannot connect now), 53300 (too many
 * connections), 58030 (I/O error).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '58030'].includes(code);
}

/** node-postgres's own messages for a connection that broke or never came. */
const DRIVER_MESSAGES = [
  /Connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/**
 * Whether an error (as the driver, the pool or TypeORM throws it, wrapped or not) says the
 * database is unreachable rather than that the statement was wrong.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof DomainError) return false;
  const { code, syscall, message, driverError, cause, errors } = error as {
    code?: unknown;
    syscall?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)))
  )
    return true;
  // A Unix-domain socket (the embedded PostgreSQL's) whose file is gone: the server is stopped.
  // Only on connect: a missing file anywhere else is no outage.
  if (code === 'ENOENT' && syscall === 'connect') return true;
  if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(driverError, depth + 1) || isDatabaseUnavailable(cause, depth + 1);
}
