import { Inject, Injectable } from '@nestjs/common';
import { AccountErrorCodes, AuditEntry, CommonErrorCodes } from '@app/contracts';
import { APP_CONFIG, DomainError, LoginSettings } from '@app/platform';
import { EntityManager } from 'typeorm';
import { LoginThrottleRepository } from './login-throttle.repository';

/** One admitted attempt: whose, from where, and its booking against the client's limit. */
export interface LoginTicket {
  username: string;
  clientKey: string;
  reservation: string;
  /** bm0100, support, auditor: a growing delay instead of a lock, so nobody can lock them out. */
  progressive: boolean;
  /** A site's 标识码 and 校验码 (自查评分) rather than an account's password: the refusals say so. */
  site?: boolean;
}

/**
 * Slows password guessing down without letting anyone lock others out:
 * - per client (IP address) across accounts: LOGIN_CLIENT_MAX_FAILURES failures within the
 *   window, then 429 RATE_LIMITED with Retry-After;
 * - per (username, client) pair: the LOGIN_MAX_FAILURES-th wrong password in a row locks the
 *   pair for LOGIN_LOCK_MINUTES (423), the same for a username that does not exist; the
 *   account still logs in from any other client;
 * - the system accounts are never locked: from the LOGIN_MAX_FAILURES-th failure on, the pair
 *   waits 4 s, 8 s, 16 s… (at most LOGIN_LOCK_MINUTES) before its next attempt (429).
 * Login and the password change (its current password) go through the same guard.
 */
@Injectable()
export class LoginGuard {
  constructor(
    private readonly throttle: LoginThrottleRepository,
    @Inject(APP_CONFIG) private readonly config: LoginSettings,
  ) {}

  /** Admits an attempt, or refuses it before any password is looked at (one statement). */
  async admit(username: string, clientKey: string, progressive: boolean, site = false): Promise<LoginTicket> {
    const booked = await this.throttle.admit(
      username,
      clientKey,
      this.config.LOGIN_CLIENT_MAX_FAILURES,
      this.config.LOGIN_CLIENT_WINDOW_MINUTES,
    );
    if ('lockedUntil' in booked) {
      // Refused unseen: no password is tried, so it is no failure of the client's either.
      const seconds = secondsUntil(booked.lockedUntil);
      if (progressive) throw tooManyAttempts(`密码错误次数过多，请${waitText(seconds)}后再试`, seconds);
      throw this.locked(booked.lockedUntil, site);
    }
    if ('retryAfterSeconds' in booked)
      throw tooManyAttempts(
        `本机登录失败次数过多，请${waitText(booked.retryAfterSeconds)}后再试`,
        booked.retryAfterSeconds,
      );
    return { username, clientKey, reservation: booked.id, progressive, site };
  }

  /**
   * Counts a wrong password in the caller's transaction. Answers the refusal to give instead of
   * the plain "wrong password" when this failure locked the pair (ordinary accounts only: a
   * system account's delay meets its next attempt).
   */
  async failed(manager: EntityManager, ticket: LoginTicket): Promise<DomainError | null> {
    const { username, clientKey } = ticket;
    const failures = await this.throttle.countPairFailure(manager, username, clientKey);
    await this.throttle.forgetStale(manager);
    const over = failures - this.config.LOGIN_MAX_FAILURES;
    if (over < 0) return null;
    if (ticket.progressive) {
      await this.throttle.lockPair(manager, username, clientKey, this.delaySeconds(over), false);
      return null;
    }
    return this.locked(
      await this.throttle.lockPair(manager, username, clientKey, this.config.LOGIN_LOCK_MINUTES * 60, true),
      ticket.site ?? false,
    );
  }

  /**
   * A login with the right password, in one statement of its own: the attempt is no failure,
   * the pair starts afresh, and the login's audit entry is appended to the chain.
   */
  loggedIn(ticket: LoginTicket, entry: AuditEntry): Promise<number> {
    return this.throttle.loginSucceeded(ticket.reservation, ticket.username, ticket.clientKey, entry);
  }

  /** The right password in the caller's transaction: the attempt is no failure, and the pair starts afresh. */
  async succeeded(manager: EntityManager, ticket: LoginTicket): Promise<void> {
    await this.throttle.releaseClientAttempt(manager, ticket.reservation);
    await this.throttle.clearPair(manager, ticket.username, ticket.clientKey);
  }

  /** A system account's wait after `over` failures past the threshold: 4 s, doubling, capped. */
  delaySeconds(over: number): number {
    return Math.min(this.config.LOGIN_LOCK_MINUTES * 60, 2 ** Math.min(over + 2, 30));
  }

  private locked(until: Date, site: boolean): DomainError {
    const seconds = secondsUntil(until);
    const minutes = Math.ceil(seconds / 60);
    return new DomainError(
      AccountErrorCodes.ACCOUNT_LOCKED,
      site
        ? `连续输错校验码${this.config.LOGIN_MAX_FAILURES}次，此网站标识码在本机已锁定，请${minutes}分钟后再试`
        : `连续输错密码${this.config.LOGIN_MAX_FAILURES}次，此账号在本机已锁定，请${minutes}分钟后再试，或联系技术支持解锁`,
      { lockedUntil: until.toISOString(), retryAfterSeconds: seconds },
    );
  }
}

/** 429 with the seconds the gateway puts into Retry-After. */
function tooManyAttempts(message: string, retryAfterSeconds: number): DomainError {
  return new DomainError(CommonErrorCodes.RATE_LIMITED, message, { retryAfterSeconds });
}

function secondsUntil(until: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
}

function waitText(seconds: number): string {
  return seconds < 60 ? `${seconds}秒` : `${Math.ceil(seconds / 60)}分钟`;
}
