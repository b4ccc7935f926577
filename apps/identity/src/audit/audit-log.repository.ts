import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditEntry } from '@app/contracts';
import { returningRows } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ChainedEntry, linkEntries } from './audit-chain';

export interface AuditFilter {
  actorUsername?: string;
  actions?: string[];
  from?: string;
  to?: string;
  asOfSeq?: number;
  offset: number;
  limit: number;
}

export interface ChainHead {
  /** The last entry appended, and its hash. */
  seq: number;
  hash: string;
  /** The last entry purged after the retention period (0 and GENESIS_HASH before any purge). */
  anchorSeq: number;
  anchorHash: string;
}

const COLUMNS =
  'id, at, service, action, outcome, actor_account_id, actor_username, actor_org_unit_id, target_type, target_id, details, correlation_id, seq, prev_hash, hash';

/**
 * The audit log table, a hash chain: each append takes the chain's head row FOR UPDATE, so
 * appends from every service and every identity replica form one gap-free sequence. The
 * table refuses UPDATE and DELETE (a trigger), except the retention purge of the oldest entries.
 */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends the entries (in the caller's transaction when given one) after the chain's head;
   * a known id is stored once. Answers how many were new.
   */
  async insert(manager: EntityManager | null, entries: AuditEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    if (!manager) return this.dataSource.transaction((own) => this.insert(own, entries));
    const head = await this.lockHead(manager);
    const known = new Set(
      (
        (await manager.query(`SELECT id FROM audit_log WHERE id = ANY($1::uuid[])`, [
          entries.map((e) => e.id),
        ])) as Array<{ id: string }>
      ).map((row) => row.id),
    );
    const fresh = entries.filter((e) => !known.has(e.id) && (known.add(e.id), true));
    if (fresh.length === 0) return 0;
    const { linked, head: next } = linkEntries(head, fresh);
    for (let i = 0; i < linked.length; i += 500) await this.insertRows(manager, linked.slice(i, i + 500));
    await manager.query(`UPDATE audit_chain SET last_seq = $1, last_hash = $2 WHERE id = 1`, [next.seq, next.hash]);
    return linked.length;
  }

  private async insertRows(manager: EntityManager, rows: ChainedEntry[]): Promise<void> {
    const values: unknown[] = [];
    const tuples = rows.map((e, i) => {
      values.push(
        e.id,
        e.at,
        e.service,
        e.action,
        e.outcome,
        e.actorAccountId,
        e.actorUsername,
        e.actorOrgUnitId,
        e.targetType,
        e.targetId,
        e.details === null ? null : JSON.stringify(e.details),
        e.correlationId,
        e.seq,
        e.prevHash,
        e.hash,
      );
      return `(${Array.from({ length: 15 }, (_, k) => `$${i * 15 + k + 1}`).join(', ')})`;
    });
    await manager.query(`INSERT INTO audit_log (${COLUMNS}) VALUES ${tuples.join(', ')}`, values);
  }

  /** The data source, for an export's pages (exportPage). */
  get source(): DataSource {
    return this.dataSource;
  }

  /** The chain's head row, locked until the transaction ends: appends and purges take turns. */
  async lockHead(manager: EntityManager): Promise<ChainHead> {
    const [row] = await manager.query(
      `SELECT last_seq, last_hash, anchor_seq, anchor_hash FROM audit_chain WHERE id = 1 FOR UPDATE`,
    );
    return toHead(row);
  }

  async head(manager?: EntityManager): Promise<ChainHead> {
    const [row] = await (manager ?? this.dataSource.manager).query(
      `SELECT last_seq, last_hash, anchor_seq, anchor_hash FROM audit_chain WHERE id = 1`,
    );
    return toHead(row);
  }

  /** Runs `fn` in a read-only snapshot of the whole log (REPEATABLE READ). */
  snapshot<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return fn(manager);
    });
  }

  /** Stored entries after `afterSeq`, in chain order. */
  async chainAfter(afterSeq: number, limit: number, manager?: EntityManager): Promise<ChainedEntry[]> {
    const rows: Array<Record<string, unknown>> = await (manager ?? this.dataSource.manager).query(
      `SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(toChained);
  }

  /**
   * The retention purge, in the caller's transaction holding the head (lockHead): removes the
   * oldest entries up to (not past) the first one at or after `cutoff`, at most `limit`, and
   * keeps the last removed entry's position and hash as the chain's anchor. Answers how many
   * were removed and through which position.
   */
  async purgeBefore(
    manager: EntityManager,
    head: ChainHead,
    cutoff: Date,
    limit: number,
  ): Promise<{ purged: number; throughSeq: number; oldestKept: string | null }> {
    const [young] = await manager.query(`SELECT min(seq)::bigint AS seq FROM audit_log WHERE at >= $1`, [cutoff]);
    const boundary = Math.min(
      young?.seq === null || young?.seq === undefined ? head.seq : Number(young.seq) - 1,
      head.anchorSeq + limit,
    );
    if (boundary <= head.anchorSeq) return { purged: 0, throughSeq: head.anchorSeq, oldestKept: null };
    const [last] = await manager.query(`SELECT hash FROM audit_log WHERE seq = $1`, [boundary]);
    if (!last) throw new Error(`audit chain: entry ${boundary} is missing, not purging`);
    await manager.query(`UPDATE audit_chain SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1`, [boundary, last.hash]);
    // The trigger lets the purge through only in a transaction that says so, for entries up
    // to the anchor.
    await manager.query(`SELECT set_config('gsr.audit_purge', 'on', true)`);
    const deleted = await returningRows(manager, `DELETE FROM audit_log WHERE seq > $1 AND seq <= $2 RETURNING seq`, [
      head.anchorSeq,
      boundary,
    ]);
    await manager.query(`SELECT set_config('gsr.audit_purge', 'off', true)`);
    const [kept] = await manager.query(`SELECT at FROM audit_log WHERE seq = $1`, [boundary + 1]);
    return {
      purged: deleted.length,
      throughSeq: boundary,
      oldestKept: kept ? (kept.at as Date).toISOString() : null,
    };
  }

  /** Through which position the newest recorded purge removed entries (null: none recorded). */
  async lastPurgedThrough(manager: EntityManager): Promise<number | null> {
    const [row] = await manager.query(
      `SELECT (details->>'throughSeq')::bigint AS through FROM audit_log WHERE action = 'audit.purge' ORDER BY seq DESC LIMIT 1`,
    );
    return row ? Number(row.through) : null;
  }

  /** Newest first. */
  async search(filter: AuditFilter): Promise<{ entries: ChainedEntry[]; total: number; asOfSeq: number }> {
    const asOfSeq = filter.asOfSeq ?? (await this.head()).seq;
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    add('seq <= ?', asOfSeq);
    if (filter.actorUsername) add('actor_username = ?', filter.actorUsername);
    if (filter.actions?.length) add('action = ANY(?::text[])', filter.actions);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    const clause = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM audit_log ${clause}`, values);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM audit_log ${clause} ORDER BY at DESC, seq DESC LIMIT ${filter.limit} OFFSET ${filter.offset}`,
      values,
    );
    return { entries: rows.map(toChained), total, asOfSeq };
  }
}

function toHead(row: Record<string, unknown>): ChainHead {
  return {
    seq: Number(row.last_seq),
    hash: row.last_hash as string,
    anchorSeq: Number(row.anchor_seq),
    anchorHash: row.anchor_hash as string,
  };
}

/** A stored row as the chain's entry (the form its hash was computed over). */
/**
 * One keyset page of an export: the entries up to `asOfSeq` matching the filter, newest first as
 * the list orders them (at DESC, seq DESC), after the given entry. No OFFSET: the millionth
 * entry costs what the first does.
 */
export async function exportPage(
  dataSource: { query: (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>> },
  filter: Pick<AuditFilter, 'actorUsername' | 'actions' | 'from' | 'to'>,
  asOfSeq: number,
  after: { micros: string; seq: number } | null,
  limit: number,
): Promise<{ entries: ChainedEntry[]; last: { micros: string; seq: number } | null }> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, ...params: unknown[]) => {
    let text = sql;
    for (const param of params) {
      values.push(param);
      text = text.replace('?', `$${values.length}`);
    }
    where.push(text);
  };
  add('seq <= ?', asOfSeq);
  if (filter.actorUsername) add('actor_username = ?', filter.actorUsername);
  if (filter.actions?.length) add('action = ANY(?::text[])', filter.actions);
  if (filter.from) add('at >= ?', filter.from);
  if (filter.to) add('at < ?', filter.to);
  if (after)
    add(`(at, seq) < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::bigint)`, after.micros, after.seq);
  const rows = await dataSource.query(
    `SELECT ${COLUMNS}, (extract(epoch FROM at) * 1000000)::bigint::text AS at_micros
       FROM audit_log WHERE ${where.join(' AND ')} ORDER BY at DESC, seq DESC LIMIT ${limit}`,
    values,
  );
  const tail = rows[rows.length - 1];
  return {
    entries: rows.map(toChained),
    last: tail ? { micros: tail.at_micros as string, seq: Number(tail.seq) } : null,
  };
}

export function toChained(row: Record<string, unknown>): ChainedEntry {
  return {
    id: row.id as string,
    at: (row.at as Date).toISOString(),
    service: row.service as string,
    action: row.action as string,
    outcome: row.outcome as AuditEntry['outcome'],
    actorAccountId: (row.actor_account_id as string | null) ?? null,
    actorUsername: (row.actor_username as string | null) ?? null,
    actorOrgUnitId: (row.actor_org_unit_id as string | null) ?? null,
    targetType: (row.target_type as string | null) ?? null,
    targetId: (row.target_id as string | null) ?? null,
    details: (row.details as Record<string, unknown> | null) ?? null,
    correlationId: (row.correlation_id as string | null) ?? null,
    seq: Number(row.seq),
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  };
}
