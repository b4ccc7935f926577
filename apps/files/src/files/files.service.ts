import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, CommonErrorCodes, FileDownload, FilesErrorCodes, FileView, Page } from '@app/contracts';
import { AuditTrail, DomainError } from '@app/platform';
import { ObjectStorage } from '@app/storage';
import { DataSource } from 'typeorm';
import { FileRepository } from './file.repository';

const DOWNLOAD_URL_SECONDS = 120;

/** 文件中心: a unit sees and downloads only its own files. Every download is audited. */
@Injectable()
export class FilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FileRepository,
    private readonly storage: ObjectStorage,
    private readonly audit: AuditTrail,
  ) {}

  async list(actor: Actor, folder: string | undefined, page: number, pageSize: number): Promise<Page<FileView>> {
    if (!actor.orgUnitId) return { items: [], total: 0 };
    const [rows, total] = await this.files.pageForOwner(actor.orgUnitId, folder, (page - 1) * pageSize, pageSize);
    return {
      items: rows.map((row) => ({
        id: row.id,
        name: row.name,
        folder: row.folder,
        size: row.size,
        createdAt: row.createdAt.toISOString(),
      })),
      total,
    };
  }

  async download(actor: Actor, id: string): Promise<FileDownload> {
    const file = await this.files.findById(id);
    if (!file) throw new DomainError(FilesErrorCodes.FILE_NOT_FOUND, '文件不存在');
    if (file.ownerOrgUnitId !== actor.orgUnitId) {
      await this.audit.record(this.dataSource.manager, {
        actor,
        action: 'file.download',
        outcome: 'denied',
        targetType: 'file',
        targetId: id,
        details: { name: file.name },
      });
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有本单位可以下载此文件');
    }
    const url = await this.storage.client.presignedGetObject(file.bucket, file.objectKey, DOWNLOAD_URL_SECONDS);
    await this.audit.record(this.dataSource.manager, {
      actor,
      action: 'file.download',
      targetType: 'file',
      targetId: id,
      details: { name: file.name },
    });
    return { name: file.name, contentType: file.contentType, size: file.size, url };
  }
}
