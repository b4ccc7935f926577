import { Injectable } from '@nestjs/common';
import { IdentityEvents, TokensRevoked } from '@app/contracts';
import { BusClient } from '@app/platform';
import { EntityManager } from 'typeorm';
import { AccountRepository } from '../accounts/account.repository';

/**
 * Ends every session of an account: raises its token version in the caller's transaction (so
 * the revocation commits with the change that caused it), then, once committed, tells every
 * gateway replica by a fan-out event so that older tokens are refused at once. A lost event is
 * covered by the gateways' short cache (TOKEN_VERSION_CACHE_MS).
 */
@Injectable()
export class TokenRevocation {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly bus: BusClient,
  ) {}

  /** In the change's transaction; announce the answer after it commits. */
  async revoke(manager: EntityManager, accountId: string): Promise<TokensRevoked> {
    return { accountId, tokenVersion: await this.accounts.raiseTokenVersion(manager, accountId) };
  }

  /** After commit: every gateway replica drops its cached version. */
  announce(revoked: TokensRevoked | null | undefined): Promise<void> {
    return revoked ? this.bus.publish(IdentityEvents.tokensRevoked, revoked) : Promise.resolve();
  }

  current(accountId: string): Promise<number | null> {
    return this.accounts.tokenVersion(accountId);
  }
}
