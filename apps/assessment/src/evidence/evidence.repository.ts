import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EvidenceByKey, EvidenceFileView, EvidenceScope } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';

export interface EvidenceRow {
  id: string;
  scope: EvidenceScope;
  siteCode: string;
  inspectionId: string | null;
  key: string;
  objectKey: string;
  fileName: string;
  contentType: string;
  size: number | null;
  status: 'UPLOADING' | 'STORED' | 'DELETED';
  uploadedBy: string;
  createdAt: Date;
}

/** The sheet a file belongs to: a site's self-assessment, or one inspection's scoring of a site. */
export interface EvidenceSheet {
  scope: EvidenceScope;
  siteCode: string;
  inspectionId: string | null;
}

const COLUMNS = `id, scope, site_code AS "siteCode", inspection_id AS "inspectionId", item_key AS "key",
  object_key AS "objectKey", file_name AS "fileName", content_type AS "contentType", size::float8 AS size, status,
  uploaded_by AS "uploadedBy", created_at AS "createdAt"`;

/** assessment.evidence_file: the evidence files of each sheet and where their bytes are. */
@Injectable()
export class EvidenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async find(
    id: string,
    manager: EntityManager | DataSource = this.dataSource,
    lock = false,
  ): Promise<EvidenceRow | null> {
    const [row] = await manager.query(
      `SELECT ${COLUMNS} FROM evidence_file WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return (row as EvidenceRow | undefined) ?? null;
  }

  /** The files of a sheet that count against its limits (stored, or being uploaded), per key. */
  async counts(manager: EntityManager, sheet: EvidenceSheet): Promise<Map<string, number>> {
    const rows: Array<{ key: string; n: number }> = await manager.query(
      `SELECT item_key AS key, count(*)::int AS n FROM evidence_file
        WHERE site_code = $1 AND scope = $2 AND inspection_id IS NOT DISTINCT FROM $3 AND status <> 'DELETED'
        GROUP BY item_key`,
      [sheet.siteCode, sheet.scope, sheet.inspectionId],
    );
    return new Map(rows.map((row) => [row.key, row.n]));
  }

  /** The stored files of a sheet, oldest first. */
  async stored(sheet: EvidenceSheet): Promise<EvidenceRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM evidence_file
        WHERE site_code = $1 AND scope = $2 AND inspection_id IS NOT DISTINCT FROM $3 AND status = 'STORED'
        ORDER BY created_at, id`,
      [sheet.siteCode, sheet.scope, sheet.inspectionId],
    );
  }

  async insert(
    manager: EntityManager,
    row: Pick<
      EvidenceRow,
      'id' | 'scope' | 'siteCode' | 'inspectionId' | 'key' | 'objectKey' | 'fileName' | 'contentType' | 'uploadedBy'
    >,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO evidence_file (id, scope, site_code, inspection_id, item_key, object_key, file_name, content_type, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.scope,
        row.siteCode,
        row.inspectionId,
        row.key,
        row.objectKey,
        row.fileName,
        row.contentType,
        row.uploadedBy,
      ],
    );
  }

  async markStored(manager: EntityManager, id: string, size: number): Promise<void> {
    await manager.query(`UPDATE evidence_file SET status = 'STORED', size = $2 WHERE id = $1`, [id, size]);
  }

  async markDeleted(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE evidence_file SET status = 'DELETED' WHERE id = $1`, [id]);
  }

  /** The row goes once its object is gone. */
  async forget(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM evidence_file WHERE id = $1 AND status <> 'STORED'`, [id]);
  }

  /** Files to clean up: deleted ones, and uploads reserved before `before` that never finished. */
  async unfinished(before: Date, limit: number): Promise<EvidenceRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM evidence_file
        WHERE status = 'DELETED' OR (status = 'UPLOADING' AND created_at < $1)
        ORDER BY created_at LIMIT $2`,
      [before, limit],
    );
  }
}

export function fileView(row: EvidenceRow): EvidenceFileView {
  return {
    id: row.id,
    key: row.key,
    fileName: row.fileName,
    contentType: row.contentType,
    size: Number(row.size ?? 0),
    uploadedAt: new Date(row.createdAt).toISOString(),
    uploadedBy: row.uploadedBy,
  };
}

/** The stored evidence files of a sheet, by veto or item key, as shown beside its answers. */
@Injectable()
export class EvidenceFiles {
  constructor(private readonly repository: EvidenceRepository) {}

  async of(sheet: EvidenceSheet): Promise<EvidenceByKey> {
    const byKey: EvidenceByKey = {};
    for (const row of await this.repository.stored(sheet)) (byKey[row.key] ??= []).push(fileView(row));
    return byKey;
  }
}
