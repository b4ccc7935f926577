import { Injectable } from '@nestjs/common';
import {
  AccountErrorCodes,
  AccountView,
  Actor,
  CommonErrorCodes,
  FindAccountsRequest,
  hasRole,
  HierarchySubjects,
  ORG_UNIT_KIND_LABELS,
  OrgUnitRecord,
  Page,
  ResetToInitialRequest,
  Roles,
} from '@app/contracts';
import { normalizeText } from '@app/forms';
import { BusClient, DomainError } from '@app/platform';
import { timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { LoginThrottleRepository } from '../auth/login-throttle.repository';
import { Account } from './account.entity';
import { AccountRepository } from './account.repository';
import { TokenRevocation } from '../auth/token-revocation';
import { InitialPasswordVault } from './initial-password-vault';
import { hashInitialPassword } from './password-hasher';

const MISMATCH = '核验信息与登记信息不一致，不能重置';

/**
 * What the support desk may do: find an account, reset a forgotten password TO THE
 * INITIAL ONE after the caller proves who they are (the 2015 FAQ's proof: contact name,
 * phone, unit, department and the initial password), and unlock a locked account. The root
 * account may unlock the support account too, so a support locked out has a way back in.
 */
@Injectable()
export class SupportService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly vault: InitialPasswordVault,
    private readonly audit: AuditService,
    private readonly bus: BusClient,
    private readonly throttle: LoginThrottleRepository,
    private readonly revocation: TokenRevocation,
  ) {}

  /**
   * Accounts whose username (the unit code) contains the text, or whose unit name does. Shows the unit's name, level and
   * region and whether the account is locked; never the contact (the reset's proofs).
   */
  async find(request: FindAccountsRequest): Promise<Page<AccountView>> {
    assertSupport(request.actor);
    const q = request.q.trim();
    const named = q ? await this.bus.request(HierarchySubjects.lookup, { nameContains: q }) : [];
    const { accounts, total } = await this.accounts.findByUsernameOrUnits(
      q,
      named.map((unit) => unit.id),
      (request.page - 1) * request.pageSize,
      request.pageSize,
    );
    const unitIds = [...new Set(accounts.map((a) => a.orgUnitId).filter((id): id is string => id !== null))];
    const units = unitIds.length ? await this.bus.request(HierarchySubjects.lookup, { ids: unitIds }) : [];
    // The names above each unit, province down: its path's codes without the root and itself.
    const above = new Set(units.flatMap((unit) => unit.path.split('.').slice(1, -1)));
    const names = above.size ? await this.bus.request(HierarchySubjects.lookup, { codes: [...above] }) : [];
    const nameOf = new Map(names.map((unit) => [unit.code, unit.name]));
    const unitOf = new Map(units.map((unit) => [unit.id, unit]));
    const locks = await this.throttle.lockedUntil(accounts.map((account) => account.username));
    return {
      items: accounts.map((account) => {
        const unit = account.orgUnitId ? unitOf.get(account.orgUnitId) : undefined;
        const region = unit
          ? unit.path
              .split('.')
              .slice(1, -1)
              .map((code) => nameOf.get(code) ?? code)
              .join(' ')
          : '';
        return toView(account, unit, region, locks.get(account.username) ?? null);
      }),
      total,
    };
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
      // Locks in the order every identity transaction takes them: login counters, the account
      // row, the audit chain's head last.
      await this.throttle.clearUsername(manager, account.username);
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

  /**
   * Lifts every lock and delay on the account, from every client. Support may unlock any
   * account (the root's included); the root may unlock the support account only.
   */
  async unlock(actor: Actor, username: string): Promise<{ unlocked: true }> {
    const target = username.trim();
    if (!hasRole(actor, Roles.SUPPORT) && !hasRole(actor, Roles.ROOT))
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有技术支持人员可以解锁账号');
    const account = await this.accounts.findByUsername(target);
    if (!hasRole(actor, Roles.SUPPORT) && !(account && hasRole(account, Roles.SUPPORT)))
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '根节点账号只能解锁技术支持账号');
    if (!account) throw new DomainError(AccountErrorCodes.ACCOUNT_NOT_FOUND, '账号不存在');
    await this.accounts.transaction(async (manager) => {
      await this.throttle.clearUsername(manager, account.username);
      await this.audit.record(manager, {
        actor,
        action: 'account.unlock',
        targetType: 'account',
        targetId: account.username,
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

function toView(
  account: Account,
  unit: OrgUnitRecord | undefined,
  region: string,
  lockedUntil: Date | null,
): AccountView {
  const locked = lockedUntil !== null && lockedUntil > new Date();
  return {
    id: account.id,
    username: account.username,
    roles: account.roles,
    orgUnitName: unit?.name ?? null,
    orgUnitLevel: unit?.level ?? null,
    orgUnitKind: unit ? ORG_UNIT_KIND_LABELS[unit.kind] : null,
    region,
    contactRegistered: unit?.contact != null,
    mustChangePassword: account.mustChangePassword,
    locked,
    lockedUntil: locked ? lockedUntil.toISOString() : null,
  };
}
