import { Injectable } from '@nestjs/common';
import { LifecycleRequestKind, RequestKind } from '@app/contracts';
import { EntityManager } from 'typeorm';

/** A request as it is filed on a locked, approved record. */
export interface FiledRequest {
  kind: RequestKind;
  payload: Record<string, unknown> | null;
  payloadHash: string | null;
  reason: string | null;
  expectedReopenDate: string | null;
  requestedBy: string;
}

/** A request applied by its final approval. */
export interface AppliedRequest {
  id: string;
  kind: RequestKind;
  /** 变更: the version that became current. */
  version: number | null;
}

/** What 关停 / 恢复 / 注销 set once approved. */
export const LIFECYCLE_AFTER: Readonly<Record<LifecycleRequestKind, 'ACTIVE' | 'CLOSED' | 'DEREGISTERED'>> = {
  CLOSE: 'CLOSED',
  REOPEN: 'ACTIVE',
  DEREGISTER: 'DEREGISTERED',
};

/** The request columns of `record` (see the RecordLifecycle migration). */
@Injectable()
export class LifecycleRepository {
  async file(manager: EntityManager, id: string, request: FiledRequest): Promise<void> {
    await manager.query(
      `UPDATE record SET request_kind = $2, request_payload = $3::jsonb, request_payload_hash = $4, request_reason = $5,
              request_expected_reopen = $6::date, requested_at = now(), requested_by = $7
        WHERE id = $1`,
      [
        id,
        request.kind,
        request.payload ? JSON.stringify(request.payload) : null,
        request.payloadHash,
        request.reason,
        request.expectedReopenDate,
        request.requestedBy,
      ],
    );
  }

  /** 变更 by re-import: the requested form comes straight from the import's staged rows. */
  async fileChangesFromStage(
    manager: EntityManager,
    stageTable: string,
    jobId: string,
    rows: Array<{ id: string; seq: number }>,
    requestedBy: string,
    region: { code: string; name: string },
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `UPDATE record r SET request_kind = 'CHANGE', request_payload = s.content || jsonb_build_object('region', $4::jsonb),
              request_payload_hash = s.content_hash, request_reason = '重新导入', request_expected_reopen = NULL,
              requested_at = now(), requested_by = $5
         FROM ${stageTable} s
        WHERE s.job_id = $1 AND s.seq = ANY($2::int[]) AND r.id = s.form_id::uuid AND r.id = ANY($3::uuid[])`,
      [jobId, rows.map((row) => row.seq), rows.map((row) => row.id), JSON.stringify(region), requestedBy],
    );
  }

  /** Drops a withdrawn request. */
  async clear(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE record SET request_kind = NULL, request_payload = NULL, request_payload_hash = NULL, request_reason = NULL,
              request_expected_reopen = NULL, requested_at = NULL, requested_by = NULL
        WHERE id = $1`,
      [id],
    );
  }

  /**
   * Applies the requests of finally approved records, set-based: a 变更's form becomes the next
   * content version (the approved one stays in record_version) and current; 关停 / 恢复 / 注销
   * set the lifecycle (a 关停 keeps its reason and expected date). The request is cleared.
   */
  async apply(manager: EntityManager, ids: string[]): Promise<AppliedRequest[]> {
    if (ids.length === 0) return [];
    await manager.query(
      `INSERT INTO record_version (record_id, version, content, content_hash, imported_by, imported_by_org_unit_id)
       SELECT id, current_version + 1, request_payload, request_payload_hash, COALESCE(requested_by, ''), owner_org_unit_id
         FROM record WHERE id = ANY($1::uuid[]) AND request_kind = 'CHANGE'`,
      [ids],
    );
    type Row = { id: string; kind: RequestKind; version: number };
    // An UPDATE answers [rows, count] through TypeORM's query().
    const result: [Row[], number] | Row[] = await manager.query(
      `WITH before AS (SELECT id, request_kind FROM record WHERE id = ANY($1::uuid[]) AND request_kind IS NOT NULL)
       UPDATE record r SET
              current_version = CASE WHEN r.request_kind = 'CHANGE' THEN r.current_version + 1 ELSE r.current_version END,
              site_name = CASE WHEN r.request_kind = 'CHANGE' THEN r.request_payload #>> '{site,siteName}' ELSE r.site_name END,
              homepage_url = CASE WHEN r.request_kind = 'CHANGE' THEN r.request_payload #>> '{site,homepageUrl}' ELSE r.homepage_url END,
              lifecycle = CASE r.request_kind WHEN 'CLOSE' THEN 'CLOSED' WHEN 'REOPEN' THEN 'ACTIVE' WHEN 'DEREGISTER' THEN 'DEREGISTERED' ELSE r.lifecycle END,
              closed_reason = CASE r.request_kind WHEN 'CLOSE' THEN r.request_reason WHEN 'REOPEN' THEN NULL ELSE r.closed_reason END,
              expected_reopen_date = CASE r.request_kind WHEN 'CLOSE' THEN r.request_expected_reopen WHEN 'REOPEN' THEN NULL ELSE r.expected_reopen_date END,
              request_kind = NULL, request_payload = NULL, request_payload_hash = NULL, request_reason = NULL,
              request_expected_reopen = NULL, requested_at = NULL, requested_by = NULL
         FROM before WHERE r.id = before.id
       RETURNING r.id, before.request_kind AS kind, r.current_version AS version`,
      [ids],
    );
    const rows = (Array.isArray(result[0]) ? result[0] : result) as Row[];
    return rows.map((row) => ({ id: row.id, kind: row.kind, version: row.kind === 'CHANGE' ? row.version : null }));
  }
}
