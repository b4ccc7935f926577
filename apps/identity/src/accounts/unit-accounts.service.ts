import { Injectable } from '@nestjs/common';
import { FilesSubjects, Roles, UnitAccountSpec, UnitCredential } from '@app/contracts';
import { Outbox } from '@app/platform';
import { AuditService } from '../audit/audit.service';
import { AccountRepository } from './account.repository';
import { InitialPasswordVault } from './initial-password-vault';
import { hashInitialPassword } from './password-hasher';
import { generateInitialPassword } from './password-generator';
import { ROOT_USERNAME } from './system-accounts.bootstrap';

/** Hashing runs in libuv's pool; this many at a time keeps the pool busy without a backlog. */
const HASH_CONCURRENCY = 8;

/**
 * One account per org unit, username = unit code, with a random initial password kept
 * hashed (to log in) and encrypted (for the parent's workbook and the support reset).
 */
@Injectable()
export class UnitAccountsService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly vault: InitialPasswordVault,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Idempotent: a unit that already has its account keeps it. New accounts and the
   * request to refresh their parents' workbooks commit together.
   */
  async ensure(units: UnitAccountSpec[]): Promise<{ created: number }> {
    const prepared = await mapLimited(units, HASH_CONCURRENCY, async (unit) => {
      const password = generateInitialPassword();
      return { unit, hash: await hashInitialPassword(password), sealed: this.vault.seal(unit.code, password) };
    });
    const created = await this.accounts.transaction(async (manager) => {
      const createdUnits: UnitAccountSpec[] = [];
      for (const { unit, hash, sealed } of prepared) {
        const roles = unit.code === ROOT_USERNAME ? [Roles.ORG, Roles.ROOT] : [Roles.ORG];
        // The root's account exists from first start: it is linked to its unit, not replaced.
        const inserted = await this.accounts.insertOrLinkUnitAccount(manager, {
          username: unit.code,
          orgUnitId: unit.orgUnitId,
          roles,
          passwordHash: hash,
          mustChangePassword: true,
          initialPasswordEnc: sealed,
        });
        if (inserted) createdUnits.push(unit);
      }
      await this.audit.recordMany(
        manager,
        createdUnits.map((unit) => ({
          actor: null,
          action: 'account.create' as const,
          targetType: 'account',
          targetId: unit.code,
          details: { orgUnitId: unit.orgUnitId },
        })),
      );
      const parents = [...new Set(createdUnits.map((unit) => unit.parentId).filter((id): id is string => !!id))];
      if (parents.length)
        await this.outbox.enqueue(manager, FilesSubjects.refreshWorkbooks, { parentOrgUnitIds: parents });
      return createdUnits.length;
    });
    return { created };
  }

  /** Internal, for the workbook: the initial passwords of these units' accounts. */
  async credentials(orgUnitIds: string[]): Promise<UnitCredential[]> {
    const rows = await this.accounts.initialPasswords(orgUnitIds);
    return rows
      .filter((row) => row.initialPasswordEnc !== null)
      .map((row) => ({
        orgUnitId: row.orgUnitId,
        username: row.username,
        initialPassword: this.vault.open(row.username, row.initialPasswordEnc!),
      }));
  }
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}
