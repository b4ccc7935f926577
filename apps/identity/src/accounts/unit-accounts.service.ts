import { Injectable } from '@nestjs/common';
import { FilesSubjects, Roles, UnitAccountSpec, UnitCredential } from '@app/contracts';
import { Outbox } from '@app/platform';
import { AuditService } from '../audit/audit.service';
import { AccountRepository } from './account.repository';
import { InitialPasswordVault } from './initial-password-vault';
import { hashInitialPassword } from './password-hasher';
import { generateInitialPassword } from './password-generator';
import { ROOT_USERNAME } from './system-accounts.bootstrap';

/**
 * Hashing runs in libuv's pool (4 threads): one hash per thread keeps every thread hashing; more
 * at once would only queue up ahead of the pool's other work (file operations, among them the
 * embedded S3 server's), which the workbooks of the first accounts need while later ones hash.
 * (Measured on the shared 2-core machine: 4 beat 2 by about a second on the national tree.)
 */
const HASH_CONCURRENCY = 4;

/**
 * At most `limit` tasks at once across every caller, started in the order they were asked
 * for. The first start sends the preset tree's accounts in several requests at once: shared in
 * turn, the first request's accounts are all hashed (and committed, and their workbooks built)
 * while the next ones hash, instead of every request finishing together at the end.
 */
class FifoLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * One account per org unit, username = unit code, with a random initial password kept
 * hashed (to log in) and encrypted (for the parent's workbook and the support reset).
 */
@Injectable()
export class UnitAccountsService {
  private readonly hashing = new FifoLimiter(HASH_CONCURRENCY);

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
    const prepared = await Promise.all(
      units.map((unit) =>
        this.hashing.run(async () => {
          const password = generateInitialPassword();
          return { unit, hash: await hashInitialPassword(password), sealed: this.vault.seal(unit.code, password) };
        }),
      ),
    );
    const created = await this.accounts.transaction(async (manager) => {
      // The root's account exists from first start: it is linked to its unit, not replaced.
      const inserted = await this.accounts.insertOrLinkUnitAccounts(
        manager,
        prepared.map(({ unit, hash, sealed }) => ({
          username: unit.code,
          orgUnitId: unit.orgUnitId,
          roles: unit.code === ROOT_USERNAME ? [Roles.ORG, Roles.ROOT] : [Roles.ORG],
          passwordHash: hash,
          mustChangePassword: true,
          initialPasswordEnc: sealed,
        })),
      );
      const createdUnits = units.filter((unit) => inserted.has(unit.code));
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
