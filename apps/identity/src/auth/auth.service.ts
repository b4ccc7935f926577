import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  AccessTokenClaims,
  AccountErrorCodes,
  Actor,
  IdentityErrorCodes,
  LoginReply,
  LoginRequest,
  TokensRevoked,
  TokenVersionReply,
} from '@app/contracts';
import { AccountSettings, APP_CONFIG, DomainError } from '@app/platform';
import { Account } from '../accounts/account.entity';
import { AccountRepository } from '../accounts/account.repository';
import { InitialPasswordVault } from '../accounts/initial-password-vault';
import { hashPassword, UNMATCHABLE_HASH, verifyPassword } from '../accounts/password-hasher';
import { passwordProblem } from '../accounts/password-policy';
import { AuditService } from '../audit/audit.service';
import { TokenRevocation } from './token-revocation';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly jwt: JwtService,
    private readonly vault: InitialPasswordVault,
    private readonly audit: AuditService,
    private readonly revocation: TokenRevocation,
    @Inject(APP_CONFIG) private readonly config: AccountSettings,
  ) {}

  /**
   * Checks the password and issues an access token. One message for every wrong
   * username/password; the 5th failure in a row locks the account for 15 minutes (423).
   */
  async login(request: LoginRequest): Promise<LoginReply> {
    const username = request.username.trim();
    const account = await this.accounts.findByUsername(username);
    if (account?.lockedUntil && account.lockedUntil > new Date()) throw locked(account.lockedUntil);
    // Verify against a dummy hash for unknown users, so timing does not reveal which usernames exist.
    const matches = await verifyPassword(request.password, account?.passwordHash ?? UNMATCHABLE_HASH);
    if (!account) throw new DomainError(IdentityErrorCodes.INVALID_CREDENTIALS, '账号或密码错误');
    if (!matches) return this.failed(account);
    await this.accounts.transaction(async (manager) => {
      await this.accounts.clearFailedLogins(manager, account.id);
      await this.audit.record(manager, { actor: actorOf(account), action: 'auth.login' });
    });
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

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<{ changed: true }> {
    const account = await this.accounts.findById(actor.accountId);
    if (!account) throw new DomainError(AccountErrorCodes.ACCOUNT_NOT_FOUND, '账号不存在');
    if (!(await verifyPassword(currentPassword, account.passwordHash)))
      throw new DomainError(AccountErrorCodes.WRONG_PASSWORD, '当前密码不正确');
    const initial = account.initialPasswordEnc ? this.vault.open(account.username, account.initialPasswordEnc) : null;
    const problem = passwordProblem(newPassword, account.username, initial);
    if (problem) throw new DomainError(AccountErrorCodes.WEAK_PASSWORD, problem);
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

  /** Ends every session of the caller's account: each token issued so far is refused. */
  async logout(actor: Actor): Promise<{ loggedOut: true }> {
    const account = await this.accounts.findById(actor.accountId);
    if (!account) throw new DomainError(AccountErrorCodes.ACCOUNT_NOT_FOUND, '账号不存在');
    const revoked = await this.accounts.transaction(async (manager) => {
      await this.audit.record(manager, {
        actor,
        action: 'auth.logout',
        targetType: 'account',
        targetId: account.username,
      });
      return this.revocation.revoke(manager, account.id);
    });
    await this.revocation.announce(revoked);
    return { loggedOut: true };
  }

  /** The gateway's cache miss: the version a token must carry at least. */
  async tokenVersion(accountId: string): Promise<TokenVersionReply> {
    return { accountId, tokenVersion: await this.revocation.current(accountId) };
  }

  private async failed(account: Account): Promise<never> {
    let revoked: TokensRevoked | null = null;
    const lockedUntil = await this.accounts.transaction(async (manager) => {
      const until = await this.accounts.countFailedLogin(manager, account.id, MAX_FAILED_LOGINS, LOCK_MINUTES);
      const nowLocked = until !== null && until > new Date();
      await this.audit.record(manager, {
        actor: actorOf(account),
        action: nowLocked ? 'auth.locked' : 'auth.login',
        outcome: 'failure',
      });
      // A lock also ends the account's sessions: someone may be guessing with a stolen token in hand.
      if (nowLocked) revoked = await this.revocation.revoke(manager, account.id);
      return nowLocked ? until : null;
    });
    await this.revocation.announce(revoked);
    if (lockedUntil) throw locked(lockedUntil);
    throw new DomainError(IdentityErrorCodes.INVALID_CREDENTIALS, '账号或密码错误');
  }
}

function locked(until: Date): DomainError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new DomainError(
    AccountErrorCodes.ACCOUNT_LOCKED,
    `连续输错密码${MAX_FAILED_LOGINS}次，账号已锁定，请${minutes}分钟后再试或联系技术支持解锁`,
    { lockedUntil: until.toISOString() },
  );
}

function actorOf(account: Account) {
  return { accountId: account.id, username: account.username, orgUnitId: account.orgUnitId };
}
