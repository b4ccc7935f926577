import { Injectable } from '@nestjs/common';
import {
  AccountErrorCodes,
  AccountView,
  Actor,
  CommonErrorCodes,
  FindAccountsRequest,
  hasRole,
  HierarchySubjects,
  Page,
  ResetToInitialRequest,
  Roles,
} from '@app/contracts';
import { normalizeText } from '@app/forms';
import { BusClient, DomainError } from '@app/platform';
import { timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { Account } from './account.entity';
import { AccountRepository } from './account.repository';
import { TokenRevocation } from '../auth/token-revocation';
import { InitialPasswordVault } from './initial-password-vault';
import { hashInitialPassword } from './password-hasher';

const MISMATCH = '核验信息与登记信息不一致，不能重置';

/**
 * What the support desk may do: find an account, reset a forgotten password TO THE
 * INITIAL ONE after the caller proves who they are (the 2015 FAQ's proof: contact name,
 * phone, unit, department and the initial password), and unlock a locked account.
 */
@Injectable()
export class SupportService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly vault: InitialPasswordVault,
    private readonly audit: AuditService,
    private readonly bus: BusClient,
    private readonly revocation: TokenRevocation,
  ) {}

  async find(request: FindAccountsRequest): Promise<Page<AccountView>> {
    assertSupport(request.actor);
    const { accounts, total } = await this.accounts.findByUsernamePrefix(
      request.q.trim(),
      (request.page - 1) * request.pageSize,
      request.pageSize,
    );
    return { items: accounts.map(toView), total };
  }

  async resetToInitial(request: ResetToInitialRequest): Promise<{ reset: true }> {
    const { actor } = request;
    assertSupport(actor);
    const account = await this.accounts.findByUsername(request.username.trim());
    const proven = account ? await this.proofMatches(account, request) : false;
    if (!account || !proven) {
      await this.audit.record(null, {
        actor,
        action: 'account.reset-to-initial',
        outcome: 'denied',
        targetType: 'account',
        targetId: request.username,
      });
      // No hint which proof failed, nor whether the account exists.
      throw new DomainError(AccountErrorCodes.RESET_PROOF_MISMATCH, MISMATCH);
    }
    const initial = this.vault.open(account.username, account.initialPasswordEnc!);
    const hash = await hashInitialPassword(initial);
    const revoked = await this.accounts.transaction(async (manager) => {
      await this.accounts.resetToInitial(manager, account.id, hash);
      await this.audit.record(manager, {
        actor,
        action: 'account.reset-to-initial',
        targetType: 'account',
        targetId: account.username,
      });
      return this.revocation.revoke(manager, account.id);
    });
    await this.revocation.announce(revoked);
    return { reset: true };
  }

  async unlock(actor: Actor, username: string): Promise<{ unlocked: true }> {
    assertSupport(actor);
    await this.accounts.transaction(async (manager) => {
      if (!(await this.accounts.unlock(manager, username.trim())))
        throw new DomainError(AccountErrorCodes.ACCOUNT_NOT_FOUND, '账号不存在');
      await this.audit.record(manager, {
        actor,
        action: 'account.unlock',
        targetType: 'account',
        targetId: username.trim(),
      });
    });
    return { unlocked: true };
  }

  private async proofMatches(account: Account, proof: ResetToInitialRequest): Promise<boolean> {
    if (!account.orgUnitId || !account.initialPasswordEnc) return false;
    const [unit] = await this.bus.request(HierarchySubjects.lookup, { ids: [account.orgUnitId] });
    const contact = unit?.contact;
    if (!unit || !contact) return false;
    const same = (a: string, b: string) => normalizeText(a) === normalizeText(b) && normalizeText(a) !== '';
    const phone = normalizeText(proof.phone);
    const checks = [
      same(proof.contactName, contact.name),
      phone !== '' && (phone === normalizeText(contact.officePhone) || phone === normalizeText(contact.mobile)),
      same(proof.orgUnitName, unit.name),
      same(proof.department, contact.department),
      equalSecret(proof.initialPassword.trim(), this.vault.open(account.username, account.initialPasswordEnc)),
    ];
    return checks.every(Boolean);
  }
}

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function assertSupport(actor: Actor): void {
  if (!hasRole(actor, Roles.SUPPORT))
    throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有技术支持人员可以执行此操作');
}

function toView(account: Account): AccountView {
  return {
    id: account.id,
    username: account.username,
    orgUnitId: account.orgUnitId,
    roles: account.roles,
    mustChangePassword: account.mustChangePassword,
    lockedUntil: account.lockedUntil && account.lockedUntil > new Date() ? account.lockedUntil.toISOString() : null,
  };
}
