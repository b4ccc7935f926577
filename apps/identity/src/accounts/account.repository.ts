import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Role } from '@app/contracts';
import { returningRows } from '@app/platform';
import { EntityManager, Repository } from 'typeorm';
import { Account } from './account.entity';

/** An account as first created: a system account at first start, or a unit's account. */
export interface NewAccount {
  username: string;
  orgUnitId: string | null;
  roles: Role[];
  passwordHash: string;
  mustChangePassword: boolean;
  initialPasswordEnc: string | null;
}

/**
 * The accounts: every statement on the account table. Methods that write take the
 * EntityManager of the caller's transaction, so the change and its audit entry (and outbox
 * messages) commit together.
 */
@Injectable()
export class AccountRepository {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.accounts.manager.transaction(work);
  }

  /** One plain statement (every login starts with it): the row as the entity reads it. */
  async findByUsername(username: string): Promise<Account | null> {
    const rows: Array<Record<string, unknown>> = await this.accounts.query(
      `SELECT id, username, org_unit_id, roles, password_hash, must_change_password, initial_password_enc,
              token_version, password_changed_at, created_at, updated_at
         FROM account WHERE username = $1`,
      [username],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  findById(id: string): Promise<Account | null> {
    return this.accounts.findOne({ where: { id } });
  }

  /** Accounts whose username contains `text` (taken literally) or whose unit is one of the given, by username. */
  async findByUsernameOrUnits(
    text: string,
    orgUnitIds: string[],
    offset: number,
    limit: number,
  ): Promise<{ accounts: Account[]; total: number }> {
    const query = this.accounts
      .createQueryBuilder('a')
      .where('a.username LIKE :text', { text: `%${text.replace(/[\\%_]/g, '\\$&')}%` });
    if (orgUnitIds.length) query.orWhere('a.orgUnitId IN (:...orgUnitIds)', { orgUnitIds });
    const [accounts, total] = await query.orderBy('a.username').skip(offset).take(limit).getManyAndCount();
    return { accounts, total };
  }

  /** Creates the account unless its username exists; answers whether it did. */
  async insertIfAbsent(account: NewAccount): Promise<boolean> {
    const rows: unknown[] = await this.accounts.query(
      `INSERT INTO account (username, org_unit_id, roles, password_hash, must_change_password, initial_password_enc)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING id`,
      insertParams(account),
    );
    return rows.length > 0;
  }

  /**
   * Units' accounts, in one statement (the first start makes 3,279 of them): each is created
   * when its username is new; an existing account of that name with no unit yet (the root's,
   * made at first start) is linked to the unit, never replaced. Answers the usernames created.
   */
  async insertOrLinkUnitAccounts(manager: EntityManager, accounts: readonly NewAccount[]): Promise<Set<string>> {
    if (accounts.length === 0) return new Set();
    const rows: Array<{ username: string; inserted: boolean }> = await manager.query(
      `INSERT INTO account (username, org_unit_id, roles, password_hash, must_change_password, initial_password_enc)
       SELECT u, o, string_to_array(r, ','), h, m, e
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::boolean[], $6::text[]) AS t(u, o, r, h, m, e)
       ON CONFLICT (username) DO UPDATE SET org_unit_id = EXCLUDED.org_unit_id WHERE account.org_unit_id IS NULL
       RETURNING username, (xmax = 0) AS inserted`,
      [
        accounts.map((a) => a.username),
        accounts.map((a) => a.orgUnitId),
        accounts.map((a) => a.roles.join(',')),
        accounts.map((a) => a.passwordHash),
        accounts.map((a) => a.mustChangePassword),
        accounts.map((a) => a.initialPasswordEnc),
      ],
    );
    return new Set(rows.filter((row) => row.inserted).map((row) => row.username));
  }

  /** For the first start's progress: accounts of units, and whether bm0100 is linked to its unit. */
  async unitAccountCounts(rootUsername: string): Promise<{ unitAccounts: number; rootLinked: boolean }> {
    const [row]: Array<{ unitAccounts: number; rootLinked: boolean }> = await this.accounts.query(
      `SELECT count(*) FILTER (WHERE org_unit_id IS NOT NULL)::int AS "unitAccounts",
              coalesce(bool_or(username = $1 AND org_unit_id IS NOT NULL), false) AS "rootLinked"
         FROM account`,
      [rootUsername],
    );
    return row;
  }

  /** The sealed initial passwords of these units' accounts. */
  initialPasswords(
    orgUnitIds: string[],
  ): Promise<Array<{ orgUnitId: string; username: string; initialPasswordEnc: string | null }>> {
    return this.accounts.query(
      `SELECT org_unit_id AS "orgUnitId", username, initial_password_enc AS "initialPasswordEnc"
         FROM account WHERE org_unit_id = ANY($1::uuid[])`,
      [orgUnitIds],
    );
  }

  /** The user's own new password: no longer to be changed at next login. */
  async setOwnPassword(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await manager.query(
      'UPDATE account SET password_hash = $2, must_change_password = false, password_changed_at = now(), updated_at = now() WHERE id = $1',
      [id, passwordHash],
    );
  }

  /** Back to the initial password, to be changed at next login (the caller unlocks it too). */
  async resetToInitial(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await manager.query(
      'UPDATE account SET password_hash = $2, must_change_password = true, updated_at = now() WHERE id = $1',
      [id, passwordHash],
    );
  }

  /** The account's current token version; null when there is no such account. */
  async tokenVersion(id: string): Promise<number | null> {
    const rows: Array<{ token_version: number }> = await this.accounts.query(
      'SELECT token_version FROM account WHERE id = $1',
      [id],
    );
    return rows[0]?.token_version ?? null;
  }

  /** Raises the account's token version (every token issued so far is refused); answers the new one. */
  async raiseTokenVersion(manager: EntityManager, id: string): Promise<number> {
    const [row] = await returningRows<{ token_version: number }>(
      manager,
      'UPDATE account SET token_version = token_version + 1 WHERE id = $1 RETURNING token_version',
      [id],
    );
    return row.token_version;
  }
}

/** The parameters of an account INSERT, in its column order. */
function insertParams(account: NewAccount): unknown[] {
  return [
    account.username,
    account.orgUnitId,
    account.roles,
    account.passwordHash,
    account.mustChangePassword,
    account.initialPasswordEnc,
  ];
}

function toAccount(row: Record<string, unknown>): Account {
  return Object.assign(new Account(), {
    id: row.id as string,
    username: row.username as string,
    orgUnitId: row.org_unit_id as string | null,
    roles: row.roles as Role[],
    passwordHash: row.password_hash as string,
    mustChangePassword: row.must_change_password as boolean,
    initialPasswordEnc: row.initial_password_enc as string | null,
    tokenVersion: row.token_version as number,
    passwordChangedAt: row.password_changed_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  });
}
