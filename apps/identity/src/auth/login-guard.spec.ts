import { AuditEntry } from '@app/contracts';
import { auditEntry, DomainError, LoginSettings } from '@app/platform';
import { EntityManager } from 'typeorm';
import { LoginGuard } from './login-guard';
import { LoginThrottleRepository, PairState } from './login-throttle.repository';

/** The guard's rules over an in-memory stand-in for its table (the SQL runs in the e2e tests). */
class MemoryThrottle {
  pairs = new Map<string, PairState>();
  bookings: string[] = [];
  clientFull = false;
  audited: AuditEntry[] = [];

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return work({} as EntityManager);
  }
  async admit(username: string, client: string) {
    const pair = this.pairs.get(`${username}|${client}`);
    if (pair?.lockedUntil && pair.lockedUntil > new Date()) return { lockedUntil: pair.lockedUntil };
    if (this.clientFull) return { retryAfterSeconds: 120 };
    this.bookings.push(String(this.bookings.length + 1));
    return { id: this.bookings[this.bookings.length - 1] };
  }
  async releaseClientAttempt(_manager: EntityManager, id: string) {
    this.bookings = this.bookings.filter((booking) => booking !== id);
  }
  async countPairFailure(_manager: EntityManager, username: string, client: string) {
    const pair = this.pairs.get(`${username}|${client}`) ?? { failures: 0, lockedUntil: null };
    pair.failures += 1;
    this.pairs.set(`${username}|${client}`, pair);
    return pair.failures;
  }
  async lockPair(_manager: EntityManager, username: string, client: string, seconds: number, restart: boolean) {
    const pair = this.pairs.get(`${username}|${client}`)!;
    pair.lockedUntil = new Date(Date.now() + seconds * 1000);
    if (restart) pair.failures = 0;
    return pair.lockedUntil;
  }
  async loginSucceeded(reservation: string, username: string, client: string, entry: AuditEntry) {
    this.bookings = this.bookings.filter((booking) => booking !== reservation);
    this.pairs.delete(`${username}|${client}`);
    this.audited.push(entry);
    return this.audited.length;
  }
  async clearPair(_manager: EntityManager, username: string, client: string) {
    this.pairs.delete(`${username}|${client}`);
  }
  async forgetStale() {}
}

const SETTINGS = Object.assign(new LoginSettings(), { LOGIN_MAX_FAILURES: 3 });
const manager = {} as EntityManager;

function setup() {
  const throttle = new MemoryThrottle();
  return { throttle, guard: new LoginGuard(throttle as unknown as LoginThrottleRepository, SETTINGS) };
}

async function refusal(attempt: Promise<unknown>): Promise<DomainError> {
  try {
    await attempt;
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('not refused');
}

describe('LoginGuard', () => {
  it('locks an ordinary (account, client) pair at the threshold, that pair only', async () => {
    const { throttle, guard } = setup();
    const results: Array<string | null> = [];
    for (let i = 0; i < 3; i++)
      results.push((await guard.failed(manager, await guard.admit('130000', '10.0.0.1', false)))?.code ?? null);
    expect(results).toEqual([null, null, 'ACCOUNT_LOCKED']);
    const locked = await refusal(guard.admit('130000', '10.0.0.1', false));
    expect(locked.code).toBe('ACCOUNT_LOCKED');
    expect(locked.details).toMatchObject({ retryAfterSeconds: 15 * 60 });
    await expect(guard.admit('130000', '10.0.0.2', false)).resolves.toMatchObject({ clientKey: '10.0.0.2' });
    // The refused attempt booked nothing against the client.
    expect(throttle.bookings).toHaveLength(4);
  });

  it('delays a system account 4 s, 8 s, 16 s… up to the lock time, never locks it', async () => {
    const { guard } = setup();
    for (let i = 0; i < 3; i++)
      expect(await guard.failed(manager, await guard.admit('support', '10.0.0.1', true))).toBeNull();
    const delayed = await refusal(guard.admit('support', '10.0.0.1', true));
    expect(delayed.code).toBe('RATE_LIMITED');
    expect(delayed.details).toEqual({ retryAfterSeconds: 4 });
    expect([0, 1, 2, 3, 8, 20].map((over) => guard.delaySeconds(over))).toEqual([4, 8, 16, 32, 900, 900]);
  });

  it('turns a client away once it has used up its failures, with the wait', async () => {
    const { throttle, guard } = setup();
    throttle.clientFull = true;
    const refused = await refusal(guard.admit('anyone', '10.0.0.9', false));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.message).toBe('本机登录失败次数过多，请2分钟后再试');
    expect(refused.details).toEqual({ retryAfterSeconds: 120 });
  });

  it('releases the booking and clears the pair on the right password', async () => {
    const { throttle, guard } = setup();
    await guard.failed(manager, await guard.admit('130000', '10.0.0.1', false));
    await guard.succeeded(manager, await guard.admit('130000', '10.0.0.1', false));
    expect(throttle.bookings).toEqual(['1']);
    expect(throttle.pairs.get('130000|10.0.0.1')).toBeUndefined();
  });

  it('ends a login in one step: booking released, pair cleared, its audit entry appended', async () => {
    const { throttle, guard } = setup();
    await guard.failed(manager, await guard.admit('130000', '10.0.0.1', false));
    const entry = auditEntry('identity', { actor: null, action: 'auth.login', details: { client: '10.0.0.1' } });
    expect(await guard.loggedIn(await guard.admit('130000', '10.0.0.1', false), entry)).toBe(1);
    expect(throttle.bookings).toEqual(['1']);
    expect(throttle.pairs.get('130000|10.0.0.1')).toBeUndefined();
    expect(throttle.audited).toEqual([entry]);
  });
});
