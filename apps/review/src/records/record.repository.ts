import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LifecycleState, RecordAction, RecordScope, RequestKind } from '@app/contracts';
import { BulkSelection, RecordRoute, RecordStatus } from '@app/workflow';
import { DataSource, EntityManager } from 'typeorm';
import { INDEXED_CHAIN_POSITIONS } from '../migrations/1764700000000-RecordListScale';
import { SiteRecord } from './record.entity';

/** Who a history row or a content version names. */
export interface RecordActor {
  accountId: string | null;
  username: string | null;
  orgUnitId: string | null;
}

/** One history row: a transition, an edit or an import (no holders for an import). */
export interface HistoryEntry {
  recordId: string;
  action: RecordAction;
  fromStatus: RecordStatus | null;
  toStatus: RecordStatus;
  fromHolder?: string | null;
  toHolder?: string | null;
  reason?: string | null;
}

/** One content version; an import names its job and package. */
export interface VersionEntry {
  recordId: string;
  version: number;
  content: Record<string, unknown>;
  contentHash: string;
}

/** A locked record with what a move needs: its route and what its notices and mails name. */
export interface MovableRecord extends RecordRoute {
  id: string;
  ownerCode: string;
  siteName: string;
  siteCode: string | null;
  homepageUrl?: string;
  /** The request this move carries, if any (applied by a final approval). */
  requestKind?: RequestKind | null;
  lifecycle?: LifecycleState;
}

/** Where a move takes one record. */
export interface RecordMove {
  id: string;
  status: RecordStatus;
  holderOrgUnitId: string;
}

/** A move as it is written: from where to where, and the 标识码 a first final approval gives. */
export interface AppliedMove extends RecordMove {
  fromStatus: RecordStatus;
  fromHolder: string;
  siteCode: string | null;
  checkCodeEnc: string | null;
}

/** A locked record (where it stands) and where its move takes it. */
export interface PlannedMove {
  record: Pick<MovableRecord, 'status' | 'holderOrgUnitId'>;
  to: RecordMove;
}

export interface ListFilter {
  unitId: string;
  scope: RecordScope;
  status?: RecordStatus;
  q?: string;
  lifecycle?: LifecycleState;
  /** A request kind, or NONE: records without one. */
  requestKind?: RequestKind | 'NONE';
  page: number;
  pageSize: number;
  /** Keyset: the page starts after the row with this update time (µs since the epoch) and id. */
  after?: { micros: string; id: string };
}

/** A unit's kept counts per status, and its position in the owner chain (null: no records). */
export interface UnitTally {
  counts: Map<RecordStatus, number>;
  depth: number | null;
}

/** What a list row reads, with `micros` (the cursor's half) and the holder (for the scope's re-check). */
/**
 * A listed row's columns. `updatedAt` comes as the text the list answers (ISO 8601 in UTC with
 * milliseconds, as Date#toISOString writes it): not parsed into a Date and written back for
 * each of a page's rows. `updated_at` stays for ordering.
 */
const LISTED_COLUMNS = `id, site_name AS "siteName", homepage_url AS "homepageUrl", status, owner_org_unit_id AS "ownerOrgUnitId",
  holder_org_unit_id AS "holderOrgUnitId", holder_org_unit_id, region_name AS "regionName", site_code AS "siteCode",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt", updated_at, lifecycle,
  request_kind AS "requestKind", (extract(epoch FROM updated_at) * 1000000)::bigint::text AS micros`;

/** A unit's tally rows are folded into one per status when it has more than this many. */
const FOLD_AT = 64;

export interface ListedRecord {
  id: string;
  siteName: string;
  homepageUrl: string;
  status: RecordStatus;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
  regionName: string;
  siteCode: string | null;
  /** ISO 8601, UTC, milliseconds (`2026-05-01T08:00:00.000Z`). */
  updatedAt: string;
  lifecycle: LifecycleState;
  requestKind: RequestKind | null;
  /** updated_at in microseconds since the epoch, exact (a Date keeps milliseconds): the cursor's half. */
  micros: string;
}

export interface StoredHistoryEntry {
  at: Date;
  action: string;
  actorUsername: string | null;
  actorOrgUnitId: string | null;
  fromStatus: RecordStatus | null;
  toStatus: RecordStatus | null;
  fromHolderOrgUnitId: string | null;
  toHolderOrgUnitId: string | null;
  reason: string | null;
}

/** A record a re-import may touch, locked, with its current content hash. */
export interface ImportedRecord {
  id: string;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
  status: RecordStatus;
  currentVersion: number;
  contentHash: string;
  homepageUrl: string;
  lifecycle: LifecycleState;
  requestKind: RequestKind | null;
  /** A pending 变更's form hash. */
  requestPayloadHash: string | null;
}

/** A new record as an import creates it: 未提交, held by its owner, version 1. */
export interface NewRecord {
  id: string;
  ownerOrgUnitId: string;
  ownerCode: string;
  ownerChain: string[];
  finalReviewerOrgUnitId: string;
  siteName: string;
  homepageUrl: string;
  regionCode: string;
  regionName: string;
}

/** The people a site registered: its 负责人 and 联系人, from the record's current version. */
export interface SitePeople {
  id: string;
  siteName: string;
  homepageUrl: string;
  siteCode: string | null;
  checkCodeEnc: string | null;
  principalName: string;
  principalEmail: string;
  contactName: string;
  contactEmail: string;
}

/** A row of a bulk action's locking select, as it comes. */
type LockedRow = Omit<MovableRecord, 'ownerChain'> & { ownerChain: string; homepageUrl: string };

/** A comma-joined list of values that hold no comma, for `string_to_array($n, ',')`. */
function list<T>(items: readonly T[], value: (item: T) => string): string {
  return items.map(value).join(',');
}

/** `%`, `_` and `\` typed by a user are searched for literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * What nearly every government site's address shares: a leading scheme and `www`, a trailing
 * `.gov.cn`. Their trigrams are in almost every row of the address's trigram index, and a
 * search such as `www.hebei` or `www4242` made PostgreSQL read all of those (7 ms of index
 * for one search at 1,000,000 records). A `www` joined to what follows keeps its last `w`:
 * `www4242` → `w4242`, whose trigrams (`w42`, `424`, `242`) all hold a character of its own.
 */
const ADDRESS_HEAD = /^(?:https?:\/\/)?(?:www\.|ww(?=w))?/i;
const ADDRESS_TAIL = /(?:\.?gov)?(?:\.cn)?\/?$/i;

/**
 * The part of a search term that finds its address candidates in the index: the term without
 * the boilerplate above, when that leaves a word of three letters or digits (a trigram);
 * undefined otherwise (the whole term is used). Every address that holds the term holds this
 * part too, and the whole term is still checked on each candidate, so the matches are the same.
 */
export function addressSearchCore(term: string): string | undefined {
  const core = term.replace(ADDRESS_HEAD, '').replace(ADDRESS_TAIL, '');
  return core !== term && /[a-z0-9]{3}/i.test(core) ? core : undefined;
}

/**
 * The records, their content versions and their history: every statement on these tables.
 * Methods that write take the EntityManager of the caller's transaction, so that a service
 * composes several of them (and its outbox entries) into one unit of work.
 */
@Injectable()
export class RecordRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The data source's manager, for writes outside a transaction (an outbox row on its own). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string): Promise<SiteRecord | null> {
    return this.dataSource.manager.findOne(SiteRecord, { where: { id } });
  }

  /** The record, row-locked until the caller's transaction ends. */
  lockById(manager: EntityManager, id: string): Promise<SiteRecord | null> {
    return manager.findOne(SiteRecord, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * A unit's kept counts ('h' held, 's' owned within its subtree) per status, and the unit's
   * position in the owner chain. Folds the unit's delta rows into one per status when they
   * have grown past FOLD_AT (rows written by other transactions meanwhile stay as they are).
   */
  async tally(unitId: string, kind: 'h' | 's'): Promise<UnitTally> {
    const rows: Array<{ status: RecordStatus; n: string; depth: number | null; rows: number }> =
      await this.dataSource.query(
        `SELECT status, sum(n)::text AS n, max(depth) AS depth, count(*)::int AS rows
           FROM record_tally WHERE unit_id = $1 AND kind = $2 GROUP BY status`,
        [unitId, kind],
      );
    if (rows.reduce((sum, row) => sum + row.rows, 0) > FOLD_AT)
      await this.dataSource.query(
        `WITH gone AS (DELETE FROM record_tally WHERE unit_id = $1 AND kind = $2 RETURNING status, depth, n)
         INSERT INTO record_tally (unit_id, kind, status, depth, n)
         SELECT $1, $2, status, max(depth), sum(n) FROM gone GROUP BY status HAVING sum(n) <> 0`,
        [unitId, kind],
      );
    return {
      counts: new Map(rows.map((row) => [row.status, Number(row.n)])),
      depth: rows.find((row) => row.depth !== null)?.depth ?? null,
    };
  }

  /** Whether `unitId` is strictly below `aboveId` in some record's owner chain (a region the caller may filter by). */
  async isBelow(unitId: string, aboveId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM record_site WHERE owner_chain @> ARRAY[$1::uuid, $2::uuid]
          AND array_position(owner_chain, $1::uuid) > array_position(owner_chain, $2::uuid) LIMIT 1`,
      [unitId, aboveId],
    );
    return rows.length > 0;
  }

  /**
   * One page of a list, newest first: `pageSize + 1` rows (the extra one says whether a next
   * page exists), after the cursor when given, else at the page's offset. The subtree is
   * `owner_chain @> {unit}` as everywhere (see listWhere for how it is found fast).
   */
  async listPage(filter: ListFilter, depth: number | null): Promise<ListedRecord[]> {
    const { clause, params, authorized } = this.listWhere(filter, depth);
    const where = [clause];
    if (filter.after) {
      params.push(filter.after.micros, filter.after.id);
      const at = `(timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond')`;
      where.push(`(updated_at < ${at} OR (updated_at = ${at} AND id > $${params.length}::uuid))`);
    }
    const offset = filter.after ? 0 : (filter.page - 1) * filter.pageSize;
    return this.dataSource.query(
      `SELECT id, "siteName", "homepageUrl", status, "ownerOrgUnitId", "holderOrgUnitId", "regionName", "siteCode", "updatedAt", lifecycle, "requestKind", micros
         FROM (SELECT ${LISTED_COLUMNS}, owner_chain
                 FROM record WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, id LIMIT ${filter.pageSize + 1} OFFSET ${offset}) page
        WHERE ${authorized} ORDER BY updated_at DESC, id`,
      params,
    );
  }

  /**
   * A search's matches, up to `limit + 1` of them, in no order (they are not all there when
   * more match): one pass over the trigram indexes gives both the total and, when there are at
   * most `limit`, every row the pages are cut from. In a subtree, record_site (whose chain is
   * the record's) keeps only the subtree's matches: the trigram index finds them nationwide, and
   * each one outside would otherwise cost a lookup in record to be thrown away (a province's
   * search for "www4242" at 1M records: 111 found, none kept, 485 buffers read instead of 41).
   * Not in listPage: there (only when more than `limit` match) the planner multiplies the two
   * chain tests' selectivities and turns to a parallel scan, ~5 ms instead of ~0.3.
   */
  async matchesUpTo(filter: ListFilter, depth: number | null, limit: number): Promise<ListedRecord[]> {
    const { clause, params, authorized } = this.listWhere(filter, depth, true);
    return this.dataSource.query(
      `SELECT id, "siteName", "homepageUrl", status, "ownerOrgUnitId", "holderOrgUnitId", "regionName", "siteCode", "updatedAt", lifecycle, "requestKind", micros
         FROM (SELECT ${LISTED_COLUMNS}, owner_chain FROM record WHERE ${clause} LIMIT ${limit + 1}) matched
        WHERE ${authorized}`,
      params,
    );
  }

  /**
   * The list's WHERE, and `authorized`: the scope's own predicate, applied again to the rows
   * found (held: the holder; subtree: `owner_chain @> {unit}`, the same test as every record
   * read). For a subtree at an indexed chain position k, the rows are found by
   * `owner_chain[k] = unit` on that position's ordered index: the unit's position in every
   * chain that holds it is its depth, so this is the same set, and the outer `@>` guarantees
   * it can never be a larger one. (Both in one WHERE would make the planner multiply their
   * selectivities and sort the whole subtree instead of reading 51 rows of the index.) A deeper
   * unit's subtree and a search are found in `record_site` (its GIN of the chain, its pg_trgm
   * GINs), which holds those indexes so that moving a record never writes them.
   */
  private listWhere(
    filter: ListFilter,
    depth: number | null,
    /** Also narrow the search's matches to the subtree inside record_site (see matchesUpTo). */
    searchWithinScope = false,
  ): { clause: string; params: unknown[]; authorized: string } {
    const indexed = depth !== null && (INDEXED_CHAIN_POSITIONS as readonly number[]).includes(depth);
    const authorized = filter.scope === 'held' ? 'holder_org_unit_id = $1' : 'owner_chain @> ARRAY[$1::uuid]';
    const where = [
      filter.scope === 'held'
        ? 'holder_org_unit_id = $1'
        : indexed
          ? `owner_chain[${depth}] = $1::uuid`
          : `id IN (SELECT id FROM record_site WHERE owner_chain @> ARRAY[$1::uuid])`,
    ];
    const params: unknown[] = [filter.unitId];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.lifecycle) {
      params.push(filter.lifecycle);
      where.push(`lifecycle = $${params.length}`);
    }
    if (filter.requestKind === 'NONE') where.push('request_kind IS NULL');
    else if (filter.requestKind) {
      params.push(filter.requestKind);
      where.push(`request_kind = $${params.length}`);
    }
    const q = filter.q?.trim();
    if (q) {
      params.push(likePattern(q));
      const term = `$${params.length}`;
      const core = addressSearchCore(q);
      const within =
        searchWithinScope && filter.scope === 'subtree' && depth !== null
          ? `owner_chain[${depth}] = $1::uuid AND `
          : '';
      // The index finds addresses by the core; `homepage_url || ''` (no index matches it)
      // checks the whole term on each of them.
      if (core) params.push(likePattern(core));
      const match = core
        ? `site_name ILIKE ${term} OR (homepage_url ILIKE $${params.length} AND (homepage_url || '') ILIKE ${term})`
        : `site_name ILIKE ${term} OR homepage_url ILIKE ${term}`;
      where.push(`id IN (SELECT id FROM record_site WHERE ${within}(${match}))`);
    }
    return { clause: where.join(' AND '), params, authorized };
  }

  /**
   * The statements of an export, in the list's order (newest first) and scope: `forms` one row
   * per record with its current content (without 栏目) and `columns` one row per 栏目. Run
   * through a cursor in one snapshot (RecordsExportService), never read whole.
   */
  exportStatements(
    filter: Pick<ListFilter, 'unitId' | 'scope' | 'status' | 'q' | 'lifecycle' | 'requestKind'>,
    depth: number | null,
  ): { forms: string; columns: string; params: unknown[] } {
    const { clause, params, authorized } = this.listWhere({ ...filter, page: 1, pageSize: 1 }, depth);
    const found = `SELECT id, site_name, homepage_url, site_code, status, owner_code, region_name, updated_at, current_version,
                          owner_chain, holder_org_unit_id, lifecycle, closed_reason, expected_reopen_date, request_kind
                     FROM record WHERE ${clause}`;
    return {
      forms: `SELECT r.id, r.site_code AS "siteCode", r.status, r.lifecycle, r.closed_reason AS "closedReason",
                     to_char(r.expected_reopen_date, 'YYYY-MM-DD') AS "expectedReopenDate", r.request_kind AS "requestKind",
                     r.owner_code AS "ownerCode", r.region_name AS "regionName",
                     r.updated_at AS "updatedAt", v.content - 'columns' AS content,
                     CASE WHEN jsonb_typeof(v.content->'columns') = 'array' THEN jsonb_array_length(v.content->'columns') ELSE 0 END AS "columnCount"
                FROM (${found}) r JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
               WHERE ${authorized} ORDER BY r.updated_at DESC, r.id`,
      columns: `SELECT r.id, r.site_name AS "siteName", r.site_code AS "siteCode", c.ord::int AS ord, c.col AS "column"
                  FROM (${found}) r JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
                 CROSS JOIN LATERAL jsonb_array_elements(
                         CASE WHEN jsonb_typeof(v.content->'columns') = 'array' THEN v.content->'columns' ELSE '[]'::jsonb END
                       ) WITH ORDINALITY AS c(col, ord)
                 WHERE ${authorized} ORDER BY r.updated_at DESC, r.id, c.ord`,
      params,
    };
  }

  /** How many records an export would hold, counted up to `limit + 1` (enough to say "too many"). */
  async exportCountUpTo(
    filter: Pick<ListFilter, 'unitId' | 'scope' | 'status' | 'q' | 'lifecycle' | 'requestKind'>,
    depth: number | null,
    limit: number,
  ): Promise<number> {
    const { clause, params, authorized } = this.listWhere({ ...filter, page: 1, pageSize: 1 }, depth);
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT owner_chain, holder_org_unit_id FROM record WHERE ${clause} LIMIT ${limit + 1}) found
        WHERE ${authorized}`,
      params,
    );
    return row.n;
  }

  /** A query runner of its own, for a long read in one snapshot (an export's cursor). */
  queryRunner() {
    return this.dataSource.createQueryRunner();
  }

  async content(id: string, version: number): Promise<Record<string, unknown> | null> {
    const [row]: Array<{ content: Record<string, unknown> }> = await this.dataSource.query(
      'SELECT content FROM record_version WHERE record_id = $1 AND version = $2',
      [id, version],
    );
    return row?.content ?? null;
  }

  async contentHash(manager: EntityManager, id: string, version: number): Promise<string | null> {
    const [row]: Array<{ content_hash: string }> = await manager.query(
      'SELECT content_hash FROM record_version WHERE record_id = $1 AND version = $2',
      [id, version],
    );
    return row?.content_hash ?? null;
  }

  /** Every history row of a record, oldest first. */
  history(id: string): Promise<StoredHistoryEntry[]> {
    return this.dataSource.query(
      `SELECT at, action, actor_username AS "actorUsername", actor_org_unit_id AS "actorOrgUnitId",
              from_status AS "fromStatus", to_status AS "toStatus", from_holder_org_unit_id AS "fromHolderOrgUnitId",
              to_holder_org_unit_id AS "toHolderOrgUnitId", reason
         FROM record_history WHERE record_id = $1 ORDER BY id`,
      [id],
    );
  }

  /**
   * For the rest of the caller's transaction, room for a bulk move: the statement triggers'
   * tables of old and new rows (record_tally, unit_stats) stay in memory instead of going to
   * temporary files (with the default 4 MB a 全部审核 of 10,000 wrote 5.6 MB of them).
   */
  async roomForBulkMoves(manager: EntityManager): Promise<void> {
    await manager.query(`SET LOCAL work_mem = '32MB'`);
  }

  /**
   * Locks what a bulk action selects, in id order (so concurrent batches never deadlock). The
   * WHERE is built from the workflow rules' selection: its statuses, and how the unit must
   * stand to the record as holder and owner.
   */
  async lockSelection(manager: EntityManager, selection: BulkSelection, unitId: string): Promise<MovableRecord[]> {
    const where = ['status = ANY($2::varchar[])'];
    if (selection.holder === 'self') where.push('holder_org_unit_id = $1');
    if (selection.owner === 'self') where.push('owner_org_unit_id = $1');
    if (selection.owner === 'other') where.push('owner_org_unit_id <> $1');
    const rows: LockedRow[] = await manager.query(
      `SELECT id, status, owner_org_unit_id AS "ownerOrgUnitId", holder_org_unit_id AS "holderOrgUnitId",
              array_to_string(owner_chain, ',') AS "ownerChain", final_reviewer_org_unit_id AS "finalReviewerOrgUnitId",
              owner_code AS "ownerCode", site_name AS "siteName", site_code AS "siteCode", homepage_url AS "homepageUrl",
              request_kind AS "requestKind", lifecycle
         FROM record WHERE ${where.join(' AND ')} ORDER BY id FOR UPDATE`,
      [unitId, selection.statuses],
    );
    // The chain comes as one string: parsing 10,000 uuid[] literals costs more than the query.
    return rows.map(({ ownerChain, ...record }) => ({ ...record, ownerChain: ownerChain.split(',') }));
  }

  /**
   * The history rows of moves (who, unit, from, to, reason), in ONE statement, in record id
   * order. Answers record id → history id. (Written before the rows themselves are moved, in
   * the same transaction, so that the database inserts them while the codes are sealed.)
   */
  async recordMoves(
    manager: EntityManager,
    actor: RecordActor,
    action: HistoryEntry['action'],
    reason: string | null,
    moves: PlannedMove[],
  ): Promise<Map<string, string>> {
    if (moves.length === 0) return new Map();
    const rows: Array<{ id: string; record_id: string }> = await manager.query(
      `INSERT INTO record_history (record_id, action, actor_account_id, actor_username, actor_org_unit_id, from_status, to_status, from_holder_org_unit_id, to_holder_org_unit_id, reason)
       SELECT m.id, $6, $7::uuid, $8, $9::uuid, m.from_status, m.status, m.from_holder, m.holder, $10
         FROM unnest(string_to_array($1, ',')::uuid[], string_to_array($2, ','), string_to_array($3, ',')::uuid[],
                     string_to_array($4, ','), string_to_array($5, ',')::uuid[]) AS m(id, status, holder, from_status, from_holder)
        ORDER BY m.id
       RETURNING id, record_id`,
      [
        // Comma-joined lists (ids and statuses never hold a comma): thousands of values go
        // out as one string each, not as array literals.
        list(moves, ({ to }) => to.id),
        list(moves, ({ to }) => to.status),
        list(moves, ({ to }) => to.holderOrgUnitId),
        list(moves, ({ record }) => record.status),
        list(moves, ({ record }) => record.holderOrgUnitId),
        action,
        actor.accountId,
        actor.username,
        actor.orgUnitId,
        reason,
      ],
    );
    return new Map(rows.map((row) => [row.record_id, String(row.id)]));
  }

  /**
   * Moves locked records and writes their history rows (recordMoves, then writeMoves). Answers
   * record id → history id.
   */
  async applyMoves(
    manager: EntityManager,
    actor: RecordActor,
    action: HistoryEntry['action'],
    reason: string | null,
    moves: AppliedMove[],
  ): Promise<Map<string, string>> {
    const planned = moves.map((move) => ({
      record: { status: move.fromStatus, holderOrgUnitId: move.fromHolder },
      to: { id: move.id, status: move.status, holderOrgUnitId: move.holderOrgUnitId },
    }));
    const historyIds = await this.recordMoves(manager, actor, action, reason, planned);
    await this.writeMoves(
      manager,
      planned,
      new Map(moves.filter((move) => move.siteCode).map((move) => [move.id, move])),
    );
    return historyIds;
  }

  /**
   * Puts locked records where their moves take them, in ONE statement that writes each row
   * once: status, holder, and for a first final approval (`codes` names it) its 标识码 and
   * sealed 校验码. A record that has a code keeps it.
   */
  async writeMoves(
    manager: EntityManager,
    moves: PlannedMove[],
    codes: ReadonlyMap<string, { siteCode: string | null; checkCodeEnc: string | null }>,
  ): Promise<void> {
    if (moves.length === 0) return;
    await manager.query(
      `UPDATE record r SET status = m.status, holder_org_unit_id = m.holder, updated_at = now(),
              site_code = COALESCE(r.site_code, m.code),
              check_code_enc = CASE WHEN r.site_code IS NULL AND m.code IS NOT NULL THEN m.enc ELSE r.check_code_enc END,
              coded_at = CASE WHEN r.site_code IS NULL AND m.code IS NOT NULL THEN now() ELSE r.coded_at END
         FROM unnest(string_to_array($1, ',')::uuid[], string_to_array($2, ','), string_to_array($3, ',')::uuid[],
                     string_to_array($4, ',', ''), string_to_array($5, ',', '')) AS m(id, status, holder, code, enc)
        WHERE r.id = m.id`,
      [
        // '' is no code; codes and sealed codes never hold a comma.
        list(moves, ({ to }) => to.id),
        list(moves, ({ to }) => to.status),
        list(moves, ({ to }) => to.holderOrgUnitId),
        list(moves, ({ to }) => codes.get(to.id)?.siteCode ?? ''),
        list(moves, ({ to }) => codes.get(to.id)?.checkCodeEnc ?? ''),
      ],
    );
  }

  /** THE history insert: one row per entry (who, unit, from, to, reason); answers record id → history id. */
  async appendHistory(
    manager: EntityManager,
    actor: RecordActor,
    entries: HistoryEntry[],
  ): Promise<Map<string, string>> {
    if (entries.length === 0) return new Map();
    const rows: Array<{ id: string; record_id: string }> = await manager.query(
      `INSERT INTO record_history (record_id, action, actor_account_id, actor_username, actor_org_unit_id, from_status, to_status, from_holder_org_unit_id, to_holder_org_unit_id, reason)
       SELECT x.record_id, x.action, $2::uuid, $3, $4::uuid, x.from_status, x.to_status, x.from_holder, x.to_holder, x.reason
         FROM jsonb_to_recordset($1::jsonb) AS x(record_id uuid, action text, from_status text, to_status text, from_holder uuid, to_holder uuid, reason text)
       RETURNING id, record_id`,
      [
        JSON.stringify(
          entries.map((e) => ({
            record_id: e.recordId,
            action: e.action,
            from_status: e.fromStatus,
            to_status: e.toStatus,
            from_holder: e.fromHolder ?? null,
            to_holder: e.toHolder ?? null,
            reason: e.reason ?? null,
          })),
        ),
        actor.accountId,
        actor.username,
        actor.orgUnitId,
      ],
    );
    return new Map(rows.map((row) => [row.record_id, String(row.id)]));
  }

  /** THE content version insert; an import names its job and package. */
  async appendVersions(
    manager: EntityManager,
    by: { username: string; orgUnitId: string; importJobId?: string | null; packageKey?: string | null },
    versions: VersionEntry[],
  ): Promise<void> {
    if (versions.length === 0) return;
    await manager.query(
      `INSERT INTO record_version (record_id, version, content, content_hash, imported_by, imported_by_org_unit_id, import_job_id, package_key)
       SELECT x.record_id, x.version, x.content, x.content_hash, $2, $3, $4, $5
         FROM jsonb_to_recordset($1::jsonb) AS x(record_id uuid, version int, content jsonb, content_hash text)`,
      [
        JSON.stringify(
          versions.map((v) => ({
            record_id: v.recordId,
            version: v.version,
            content: v.content,
            content_hash: v.contentHash,
          })),
        ),
        by.username,
        by.orgUnitId,
        by.importJobId ?? null,
        by.packageKey ?? null,
      ],
    );
  }

  /** Makes `version` current, with the site name and homepage the list shows. */
  async setCurrentVersion(
    manager: EntityManager,
    id: string,
    current: { version: number; siteName: string; homepageUrl: string; updatedAt: Date },
  ): Promise<void> {
    await manager.query(
      `UPDATE record SET current_version = $2, site_name = $3, homepage_url = $4, updated_at = $5 WHERE id = $1`,
      [id, current.version, current.siteName, current.homepageUrl, current.updatedAt],
    );
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.query('DELETE FROM record WHERE id = $1', [id]);
  }

  /** The records an import batch touches, locked until commit, with their current content hash. */
  async lockForImport(manager: EntityManager, ids: string[]): Promise<Map<string, ImportedRecord>> {
    if (ids.length === 0) return new Map();
    const rows: ImportedRecord[] = await manager.query(
      `SELECT r.id, r.owner_org_unit_id AS "ownerOrgUnitId", r.holder_org_unit_id AS "holderOrgUnitId", r.status,
              r.current_version AS "currentVersion", r.homepage_url AS "homepageUrl", v.content_hash AS "contentHash",
              r.lifecycle, r.request_kind AS "requestKind", r.request_payload_hash AS "requestPayloadHash"
         FROM record r JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
        WHERE r.id = ANY($1::uuid[]) FOR UPDATE OF r`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Every record of one owner, by id and homepage. */
  ownHomepages(manager: EntityManager, ownerOrgUnitId: string): Promise<Array<{ id: string; homepageUrl: string }>> {
    return manager.query('SELECT id, homepage_url AS "homepageUrl" FROM record WHERE owner_org_unit_id = $1', [
      ownerOrgUnitId,
    ]);
  }

  /** New records, 未提交 at their owner, in one statement. */
  async insertDrafts(manager: EntityManager, records: NewRecord[]): Promise<void> {
    if (records.length === 0) return;
    await manager.query(
      `INSERT INTO record (id, owner_org_unit_id, owner_code, owner_chain, holder_org_unit_id, final_reviewer_org_unit_id, status, site_name, homepage_url, region_code, region_name, current_version)
       SELECT x.id, x.owner_org_unit_id, x.owner_code, x.owner_chain, x.owner_org_unit_id, x.final_reviewer_org_unit_id, 'DRAFT', x.site_name, x.homepage_url, x.region_code, x.region_name, 1
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, owner_org_unit_id uuid, owner_code text, owner_chain uuid[], final_reviewer_org_unit_id uuid, site_name text, homepage_url text, region_code text, region_name text)`,
      [
        JSON.stringify(
          records.map((r) => ({
            id: r.id,
            owner_org_unit_id: r.ownerOrgUnitId,
            owner_code: r.ownerCode,
            owner_chain: r.ownerChain,
            final_reviewer_org_unit_id: r.finalReviewerOrgUnitId,
            site_name: r.siteName,
            homepage_url: r.homepageUrl,
            region_code: r.regionCode,
            region_name: r.regionName,
          })),
        ),
      ],
    );
  }

  /** Re-imported records: the next version becomes current; status and holder stay as they are. */
  async advanceVersions(
    manager: EntityManager,
    records: Array<{ id: string; siteName: string; homepageUrl: string }>,
  ): Promise<void> {
    if (records.length === 0) return;
    await manager.query(
      `UPDATE record r SET site_name = x.site_name, homepage_url = x.homepage_url, current_version = r.current_version + 1, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, site_name text, homepage_url text) WHERE r.id = x.id`,
      [JSON.stringify(records.map((r) => ({ id: r.id, site_name: r.siteName, homepage_url: r.homepageUrl })))],
    );
  }

  async sitePeople(manager: EntityManager, ids: string[]): Promise<SitePeople[]> {
    if (ids.length === 0) return [];
    const rows: Array<Record<string, string | null>> = await manager.query(
      `SELECT r.id, r.site_name, r.homepage_url, r.site_code, r.check_code_enc,
              v.content #>> '{principal,name}' AS principal_name, v.content #>> '{principal,email}' AS principal_email,
              v.content #>> '{contact,name}' AS contact_name, v.content #>> '{contact,email}' AS contact_email
         FROM record r JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
        WHERE r.id = ANY($1::uuid[]) ORDER BY r.id`,
      [ids],
    );
    return rows.map((row) => ({
      id: row.id as string,
      siteName: row.site_name ?? '',
      homepageUrl: row.homepage_url ?? '',
      siteCode: row.site_code,
      checkCodeEnc: row.check_code_enc,
      principalName: row.principal_name ?? '',
      principalEmail: row.principal_email ?? '',
      contactName: row.contact_name ?? '',
      contactEmail: row.contact_email ?? '',
    }));
  }

  /** The coded records with this site name and one of these homepages, locked. */
  async lockCodedSites(manager: EntityManager, siteName: string, homepages: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM record
        WHERE id IN (SELECT id FROM record_site WHERE homepage_url = ANY($1::text[]) AND site_name = $2)
          AND site_code IS NOT NULL ORDER BY id FOR UPDATE`,
      [homepages, siteName],
    );
    return rows.map((row) => row.id);
  }
}
