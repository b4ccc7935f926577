import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  AccessTokenClaims,
  AccountErrorCodes,
  Actor,
  hasRole,
  IdentityErrorCodes,
  LoginAttempt,
  LoginReply,
  Roles,
  TokensRevoked,
  TokenVersionReply,
} from '@app/contracts';
import { AccountSettings, APP_CONFIG, auditEntry, DomainError, loginFailures } from '@app/platform';
import { Account } from '../accounts/account.entity';
import { AccountRepository } from '../accounts/account.repository';
import { InitialPasswordVault } from '../accounts/initial-password-vault';
import { hashPassword, hasFullCost, samePassword, UNMATCHABLE_HASH, verifyPassword } from '../accounts/password-hasher';
import { passwordProblem } from '../accounts/password-policy';
import { AuditService } from '../audit/audit.service';
import { LoginGuard, LoginTicket } from './login-guard';
import { TokenRevocation } from './token-revocation';

const WRONG_CREDENTIALS = '账号或密码错误';

@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly jwt: JwtService,
    private readonly vault: InitialPasswordVault,
    private readonly audit: AuditService,
    private readonly guard: LoginGuard,
    private readonly revocation: TokenRevocation,
    @Inject(APP_CONFIG) private readonly config: AccountSettings,
  ) {}

  /**
   * Checks the password and issues an access token. Every username gets the same work (one
   * full-cost scrypt) and the same answers: one message for every wrong username/password,
   * and the same lock for a username that does not exist (see LoginGuard for the limits).
   */
  async login(request: LoginAttempt): Promise<LoginReply> {
    const username = request.username.trim();
    const account = await this.accounts.findByUsername(username);
    const ticket = await this.guard.admit(username, request.client, isSystemAccount(account)).catch((err: unknown) => {
      // Refused before the password is checked (locked pair, client over its limit).
      if (err instanceof DomainError) loginFailures.inc({ reason: 'throttled' });
      throw err;
    });
    const matches = await this.passwordMatches(request.password, account);
    if (!account || !matches) return this.failed(ticket, account);
    // One statement: the booking released, the pair cleared, the entry on the audit chain.
    await this.guard.loggedIn(
      ticket,
      auditEntry('identity', { actor: actorOf(account), action: 'auth.login', details: { client: ticket.clientKey } }),
    );
    const claims: AccessTokenClaims = {
      sub: account.id,
      username: account.username,
      orgUnitId: account.orgUnitId,
      roles: account.roles,
      mcp: account.mustChangePassword,
      tv: account.tokenVersion,
    };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS });
    return {
      accessToken,
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      mustChangePassword: account.mustChangePassword,
      user: { id: account.id, username: account.username, orgUnitId: account.orgUnitId, roles: account.roles },
    };
  }

  /**
   * The own password change. A wrong current password counts like a failed login (same pair,
   * same client limit); the new password must differ from the current one.
   */
  async changePassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
    client: string,
  ): Promise<{ changed: true }> {
    const account = await this.accounts.findById(actor.accountId);
    if (!account) throw new DomainError(AccountErrorCodes.ACCOUNT_NOT_FOUND, '账号不存在');
    const ticket = await this.guard.admit(account.username, client, isSystemAccount(account));
    if (!(await verifyPassword(currentPassword, account.passwordHash))) {
      const refusal = await this.accounts.transaction(async (manager) => {
        const lock = await this.guard.failed(manager, ticket);
        await this.audit.record(manager, {
          actor,
          action: lock ? 'auth.locked' : 'auth.change-password',
          outcome: 'failure',
          targetType: 'account',
          targetId: account.username,
          details: { client },
        });
        return lock;
      });
      throw refusal ?? new DomainError(AccountErrorCodes.WRONG_PASSWORD, '当前密码不正确');
    }
    await this.accounts.transaction((manager) => this.guard.succeeded(manager, ticket));
    const initial = account.initialPasswordEnc ? this.vault.open(account.username, account.initialPasswordEnc) : null;
    const problem = passwordProblem(newPassword, account.username, initial);
    if (problem) throw new DomainError(AccountErrorCodes.WEAK_PASSWORD, problem);
    if (samePassword(newPassword, currentPassword))
      throw new DomainError(AccountErrorCodes.WEAK_PASSWORD, '新密码不能与当前密码相同');
    const hash = await hashPassword(newPassword);
    const revoked = await this.accounts.transaction(async (manager) => {
      await this.accounts.setOwnPassword(manager, account.id, hash);
      await this.audit.record(manager, {
        actor,
        action: 'auth.change-password',
        targetType: 'account',
        targetId: account.username,
      });
      return this.revocation.revoke(manager, account.id);
    });
    await this.revocation.announce(revoked);
    return { changed: true };
  }

  /**
   * Exactly one full-cost scrypt whoever the username belongs to, so the time taken tells
   * nothing. Unknown usernames verify against a dummy hash. An account still on its initial
   * password has a cheaper hash (see password-hasher): it is checked against the sealed
   * initial password instead, while the full-cost work is spent on the dummy all the same.
   */
  private async passwordMatches(password: string, account: Account | null): Promise<boolean> {
    if (!account) {
      await verifyPassword(password, UNMATCHABLE_HASH);
      return false;
    }
    // A cheaper hash without a sealed initial password is never written; verify it as it is.
    if (hasFullCost(account.passwordHash) || !account.initialPasswordEnc)
      return verifyPassword(password, account.passwordHash);
    await verifyPassword(password, UNMATCHABLE_HASH);
    return samePassword(password, this.vault.open(account.username, account.initialPasswordEnc));
  }

  /** Ends every session of the caller's account: each token issued so far is refused. */
  async logout(actor: Actor): Promise<{ loggedOut: true }> {
    const account = await this.accounts.findById(actor.accountId);
    if (!account) throw new DomainError(AccountErrorCodes.ACCOUNT_NOT_FOUND, '账号不存在');
    // The account row first, the audit chain's head last (the order every identity transaction
    // takes: the other way round, a concurrent account change deadlocks with it).
    const revoked = await this.accounts.transaction(async (manager) => {
      const raised = await this.revocation.revoke(manager, account.id);
      await this.audit.record(manager, {
        actor,
        action: 'auth.logout',
        targetType: 'account',
        targetId: account.username,
      });
      return raised;
    });
    await this.revocation.announce(revoked);
    return { loggedOut: true };
  }

  /** The gateway's cache miss: the version a token must carry at least. */
  async tokenVersion(accountId: string): Promise<TokenVersionReply> {
    return { accountId, tokenVersion: await this.revocation.current(accountId) };
  }

  private async failed(ticket: LoginTicket, account: Account | null): Promise<never> {
    let revoked: TokensRevoked | null = null;
    const refusal = await this.accounts.transaction(async (manager) => {
      const lock = await this.guard.failed(manager, ticket);
      // Someone is guessing this password: the account's sessions end too (the owner logs in
      // again from its own client, which the lock does not touch). The account row before the
      // audit chain's head, as in every identity transaction.
      if (lock && account) revoked = await this.revocation.revoke(manager, account.id);
      // For an unknown username the entry names nobody: what was typed may be a password in the wrong field.
      await this.audit.record(manager, {
        actor: account ? actorOf(account) : null,
        action: lock ? 'auth.locked' : 'auth.login',
        outcome: 'failure',
        details: { client: ticket.clientKey },
      });
      return lock;
    });
    await this.revocation.announce(revoked);
    loginFailures.inc({ reason: refusal ? 'locked' : 'credentials' });
    throw refusal ?? new DomainError(IdentityErrorCodes.INVALID_CREDENTIALS, WRONG_CREDENTIALS);
  }
}

/** bm0100, support and auditor: delayed, never locked (see LoginGuard). */
function isSystemAccount(account: Account | null): boolean {
  return account !== null && [Roles.ROOT, Roles.SUPPORT, Roles.AUDITOR].some((role) => hasRole(account, role));
}

function actorOf(account: Account) {
  return { accountId: account.id, username: account.username, orgUnitId: account.orgUnitId };
}
