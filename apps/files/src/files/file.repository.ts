import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { StoredFile } from './file.entity';

/** The `file` table (文件中心 metadata). */
@Injectable()
export class FileRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One page of a unit's files, newest first. */
  pageForOwner(
    ownerOrgUnitId: string,
    folder: string | undefined,
    offset: number,
    limit: number,
  ): Promise<[StoredFile[], number]> {
    return this.dataSource.getRepository(StoredFile).findAndCount({
      where: { ownerOrgUnitId, ...(folder ? { folder } : {}) },
      order: { createdAt: 'DESC' },
      skip: offset,
      take: limit,
    });
  }

  findById(id: string): Promise<StoredFile | null> {
    return this.dataSource.getRepository(StoredFile).findOne({ where: { id } });
  }

  /**
   * Stores a parent's account workbook, replacing the one it had (one per parent unit);
   * answers the object key of the replaced one, if any.
   */
  /** For the first start's progress: the account workbooks stored. */
  async workbookCount(): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM file WHERE kind = 'credential-workbook'`,
    );
    return row.n;
  }

  async replaceWorkbook(file: {
    ownerOrgUnitId: string;
    folder: string;
    name: string;
    bucket: string;
    objectKey: string;
    size: number;
    contentType: string;
  }): Promise<string | undefined> {
    const previous: Array<{ object_key: string | null }> = await this.dataSource.query(
      `WITH old AS (SELECT object_key FROM file WHERE owner_org_unit_id = $1 AND kind = 'credential-workbook')
       INSERT INTO file (owner_org_unit_id, folder, kind, name, bucket, object_key, size, content_type)
       VALUES ($1, $2, 'credential-workbook', $3, $4, $5, $6, $7)
       ON CONFLICT (owner_org_unit_id) WHERE kind = 'credential-workbook'
       DO UPDATE SET name = EXCLUDED.name, object_key = EXCLUDED.object_key, size = EXCLUDED.size, updated_at = now(), created_at = now()
       RETURNING (SELECT object_key FROM old) AS object_key`,
      [file.ownerOrgUnitId, file.folder, file.name, file.bucket, file.objectKey, file.size, file.contentType],
    );
    return previous[0]?.object_key ?? undefined;
  }

  /** Registers an export's workbook under its job's id (a repeated registration changes nothing). */
  async insertExport(
    manager: EntityManager,
    file: {
      id: string;
      ownerOrgUnitId: string | null;
      ownerAccountId: string;
      folder: string;
      name: string;
      bucket: string;
      objectKey: string;
      size: number;
      contentType: string;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO file (id, owner_org_unit_id, owner_account_id, folder, kind, name, bucket, object_key, size, content_type)
       VALUES ($1, $2, $3, $4, 'export', $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [
        file.id,
        file.ownerOrgUnitId,
        file.ownerAccountId,
        file.folder,
        file.name,
        file.bucket,
        file.objectKey,
        file.size,
        file.contentType,
      ],
    );
  }
}
