import { XLSX_TYPE } from '@app/contracts';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Actor, FilesSubjects } from '@app/contracts';
import { BusClient, ServiceUnavailableError } from '@app/platform/core';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { CurrentActor } from '../auth/current-actor';
import { sendStoredFile } from '../http/download';
import { PageQuery } from '../http/page-query';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { FilePageDto } from './files.responses';
import { Access } from '../auth/access';

const BINARY = { type: 'string', format: 'binary' } as const;

export class ListQuery extends PageQuery {
  @ApiPropertyOptional({ description: '文件夹，如 我的协作组' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  folder?: string;
}

/**
 * Streams an object fetched from its presigned URL to the browser under the file's name (a
 * failed or missing fetch is 503: the object store is away).
 */
export async function sendObject(
  res: Response,
  file: { name: string; contentType: string; size: number },
  object: globalThis.Response | undefined,
): Promise<void> {
  if (!object?.ok || !object.body) throw new ServiceUnavailableError('files.object.get');
  await sendStoredFile(res, file, Readable.fromWeb(object.body as import('node:stream/web').ReadableStream));
}

@ApiTags('files')
@ApiBearerAuth()
@Controller('files')
export class FilesController {
  constructor(private readonly bus: BusClient) {}

  @Access('unit-own')
  @Get()
  @ApiOperation({ summary: '文件中心：本单位的文件（我的协作组：下级单位账号表）' })
  @ApiOkResponse({ type: FilePageDto })
  @ApiErrors('files.list')
  list(@CurrentActor() actor: Actor, @Query() query: ListQuery) {
    return this.bus.request(FilesSubjects.list, {
      actor,
      folder: query.folder,
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  @Access('unit-own')
  @Get(':id/download')
  @ApiOperation({ summary: '下载文件（仅所属单位）' })
  @ApiProduces(XLSX_TYPE, 'application/octet-stream')
  @ApiOkResponse({ description: '文件内容；Content-Disposition 带 UTF-8 文件名（filename*）', schema: BINARY })
  @ApiErrors('files.download')
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    let file = await this.bus.request(FilesSubjects.download, { actor, id });
    let object = await fetch(file.url).catch(() => undefined);
    // A workbook replaced between the lookup and the fetch has lost its old object (404):
    // the row already names the new one, so ask once more.
    if (object?.status === 404) {
      file = await this.bus.request(FilesSubjects.download, { actor, id });
      object = await fetch(file.url).catch(() => undefined);
    }
    await sendObject(res, file, object);
  }
}
