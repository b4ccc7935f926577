import { QueryFailedError } from 'typeorm';
import { DomainError, ServiceUnavailableError } from './domain-error';
import { isDatabaseUnavailable } from './unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['server shut down (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['cannot connect now (57P03)', withCode('the database system is starting up', '57P03')],
    ['connection exception class 08', withCode('connection failure', '08006')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'wrapped by TypeORM',
      new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01')),
    ],
    ['several addresses refused', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')])],
    ['as a cause', new Error('query failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') })],
    [
      "the embedded server's Unix socket gone (stopped)",
      Object.assign(withCode('connect ENOENT /tmp/pg/.s.PGSQL.5432', 'ENOENT'), { syscall: 'connect' }),
    ],
  ])('%s: yes', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key value', '23505'))],
    ['syntax error', withCode('syntax error at or near', '42601')],
    [
      'a missing file, not a connection',
      Object.assign(withCode("ENOENT: no such file, open 'x'", 'ENOENT'), { syscall: 'open' }),
    ],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a domain error', new ServiceUnavailableError('review.record.list')],
    ['a domain error with a network-looking code', new DomainError('CONFLICT', 'Connection terminated')],
    ['nothing', undefined],
  ])('%s: no', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
