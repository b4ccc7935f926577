import { LoggerService } from '@nestjs/common';
import { LogLevelName } from '../config/app-config';
import { currentContext } from '../context/request-context';

const RANK: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Nest keeps one logger per process, so in the embedded default the `service` field comes
 * from the request context (set by each service's interceptor) and falls back to the name
 * given here (the process's role) outside requests.
 *
 * One JSON object per line: time, level, service, context, correlationId, msg. Nest's own
 * messages come through here too. Callers never pass secrets; there is no field for them.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly level: LogLevelName = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(level: LogLevelName, message: unknown, rest: unknown[]): void {
    if (RANK[level] < RANK[this.level]) return;
    // Nest passes the context name last; an error stack may come before it.
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const request = currentContext();
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: request?.service ?? this.service,
    };
    if (context) entry.context = context;
    if (request?.correlationId) entry.correlationId = request.correlationId;
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    const stack = args.find((a) => typeof a === 'string');
    if (stack) entry.stack = stack;
    this.write(`${JSON.stringify(entry)}\n`);
  }
}
