import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AccessTokenClaims,
  AccountErrorCodes,
  Actor,
  IdentityErrorCodes,
  LoginReply,
  LoginRequest,
} from '@app/contracts';
import { AccountSettings, APP_CONFIG, DomainError, returningRows } from '@app/platform';
import { DataSource } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { InitialPasswordVault } from '../accounts/initial-password-vault';
import { hashPassword, UNMATCHABLE_HASH, verifyPassword } from '../accounts/password-hasher';
import { passwordProblem } from '../accounts/password-policy';
import { AuditService } from '../audit/audit.service';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly vault: InitialPasswordVault,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AccountSettings,
  ) {}

  /**
   * Checks the password and issues an access token. One message for every wrong
   * username/password; the 5th failure in a row locks the account for 15 minutes (423).
   */
  async login(request: LoginRequest): Promise<LoginReply> {
    const username = request.username.trim();
    const account = await this.dataSource.getRepository(Account).findOne({ where: { username } });
    if (account?.lockedUntil && account.lockedUntil > new Date()) throw locked(account.lockedUntil);
    // Verify against a dummy hash for unknown users, so timing does not reveal which usernames exist.
    const matches = await verifyPassword(request.password, account?.passwordHash ?? UNMATCHABLE_HASH);
    if (!account) throw new DomainError(IdentityErrorCodes.INVALID_CREDENTIALS, '账号或密码错误');
    if (!matches) return this.failed(account);
    await this.dataSource.transaction(async (manager) => {
      await manager.query('UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = $1', [account.id]);
      await this.audit.record(manager, { actor: actorOf(account), action: 'auth.login' });
    });
    const claims: AccessTokenClaims = {
      sub: account.id,
      username: account.username,
      orgUnitId: account.orgUnitId,
      roles: account.roles,
      mcp: account.mustChangePassword,
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
    const account = await this.dataSource.getRepository(Account).findOne({ where: { id: actor.accountId } });
    if (!account) throw new DomainError(AccountErrorCodes.ACCOUNT_NOT_FOUND, '账号不存在');
    if (!(await verifyPassword(currentPassword, account.passwordHash)))
      throw new DomainError(AccountErrorCodes.WRONG_PASSWORD, '当前密码不正确');
    const initial = account.initialPasswordEnc ? this.vault.open(account.username, account.initialPasswordEnc) : null;
    const problem = passwordProblem(newPassword, account.username, initial);
    if (problem) throw new DomainError(AccountErrorCodes.WEAK_PASSWORD, problem);
    const hash = await hashPassword(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        'UPDATE account SET password_hash = $2, must_change_password = false, password_changed_at = now(), updated_at = now() WHERE id = $1',
        [account.id, hash],
      );
      await this.audit.record(manager, {
        actor,
        action: 'auth.change-password',
        targetType: 'account',
        targetId: account.username,
      });
    });
    return { changed: true };
  }

  private async failed(account: Account): Promise<never> {
    const lockedUntil = await this.dataSource.transaction(async (manager) => {
      const [row] = await returningRows<{ locked_until: Date | null }>(
        manager,
        `UPDATE account SET
           failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
           locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
         WHERE id = $1 RETURNING locked_until`,
        [account.id, MAX_FAILED_LOGINS, LOCK_MINUTES],
      );
      const nowLocked = row.locked_until !== null && row.locked_until > new Date();
      await this.audit.record(manager, {
        actor: actorOf(account),
        action: nowLocked ? 'auth.locked' : 'auth.login',
        outcome: 'failure',
      });
      return nowLocked ? row.locked_until : null;
    });
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
