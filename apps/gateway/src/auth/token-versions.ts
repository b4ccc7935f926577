import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AccessTokenClaims, CommonErrorCodes, IdentityEvents, IdentitySubjects, TokensRevoked } from '@app/contracts';
import { APP_CONFIG, BusClient, DomainError, SessionSettings } from '@app/platform/core';
import { TokenVersionCache } from './token-version-cache';

const RESUBSCRIBE_MS = 5000;

/**
 * Each account's current token version as this gateway replica knows it: cached for
 * TOKEN_VERSION_CACHE_MS, asked of identity on a miss, and raised at once by identity's
 * `identity.tokens.revoked` event, which every replica hears (a plain subscription, no queue
 * group).
 */
@Injectable()
export class TokenVersions implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TokenVersions.name);
  private readonly cache: TokenVersionCache;
  private unsubscribe?: () => void;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly bus: BusClient,
    @Inject(APP_CONFIG) config: SessionSettings,
  ) {
    this.cache = new TokenVersionCache(
      async (accountId) => (await this.bus.request(IdentitySubjects.tokenVersion, { accountId })).tokenVersion,
      { ttlMs: config.TOKEN_VERSION_CACHE_MS },
    );
  }

  /** Subscribed before the gateway takes requests; if the bus is not there yet, again in the background. */
  async onModuleInit(): Promise<void> {
    await this.subscribe();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.unsubscribe?.();
  }

  /**
   * Refuses (401) a token issued under an older version than its account's current one, or
   * for an account that no longer exists. Tokens from before versions existed count as 0.
   */
  async assertCurrent(claims: Pick<AccessTokenClaims, 'sub' | 'tv'>): Promise<void> {
    const current = await this.cache.current(claims.sub);
    if (current === null || (claims.tv ?? 0) < current)
      throw new DomainError(CommonErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
  }

  /** This replica revoked the account's tokens itself: ask identity on the next request. */
  forget(accountId: string): void {
    this.cache.forget(accountId);
  }

  private async subscribe(): Promise<void> {
    try {
      this.unsubscribe = await this.bus.subscribe(IdentityEvents.tokensRevoked, (event) => this.revoked(event));
    } catch (err) {
      // Until then a revocation reaches this replica within the cache's TTL.
      this.logger.warn({
        msg: 'token revocation events not subscribed, retrying',
        error: err instanceof Error ? err.message : String(err),
      });
      if (!this.stopped) this.retry = setTimeout(() => void this.subscribe(), RESUBSCRIBE_MS);
    }
  }

  private revoked(event: TokensRevoked): void {
    if (typeof event?.accountId !== 'string' || !Number.isInteger(event.tokenVersion)) return;
    this.cache.raise(event.accountId, event.tokenVersion);
  }
}
