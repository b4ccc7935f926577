import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, CommonErrorCodes, IntakeSubjects, PackageKind } from '@app/contracts';
import { APP_CONFIG, BusClient, DomainError } from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { contentDisposition } from '../files/files.controller';
import { CurrentActor } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { ImportJobCreatedDto, ImportJobPageDto, ImportJobViewDto } from './imports.responses';
import { GatewayConfig } from '../gateway.settings';
import { Access } from '../auth/access';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class ImportQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'true 为预检：报告将会发生什么，不改变任何数据' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === '1' || value === true)
  @IsBoolean()
  dryRun?: boolean;
}

interface UploadedPackage {
  originalname: string;
  size: number;
  buffer: Buffer;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly bus: BusClient,
    private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * The upload is size-limited while it streams in (413 past the limit), stored under the
   * importing unit in object storage — kept for audit — and queued as a job (202).
   */
  @Access('unit-own')
  @Post()
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: '导入上报文件（ZIP）或 Excel 模板；dryRun=true 为预检，不改变任何数据' })
  @ApiAcceptedResponse({ type: ImportJobCreatedDto, description: '已排队；结果用 GET /imports/{jobId} 查看' })
  @ApiErrors('imports.start')
  async start(
    @CurrentActor() actor: Actor,
    @Query() query: ImportQuery,
    @UploadedFile() file?: UploadedPackage,
  ): Promise<{ jobId: string }> {
    if (!actor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以导入网站信息');
    if (!file || file.size === 0)
      throw new DomainError(CommonErrorCodes.VALIDATION_FAILED, '请选择要导入的文件（字段名 file）');
    const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const kind: PackageKind = /\.xlsx$/i.test(fileName) ? 'xlsx' : 'zip';
    const objectKey = `imports/${actor.orgUnitId}/${randomUUID()}.${kind}`;
    await this.storage.put(
      bucketName(this.config, 'packages'),
      objectKey,
      file.buffer,
      kind === 'zip' ? 'application/zip' : XLSX_TYPE,
    );
    return this.bus.request(IntakeSubjects.start, {
      actor,
      objectKey,
      fileName,
      size: file.size,
      kind,
      dryRun: query.dryRun ?? false,
    });
  }

  @Access('unit-own')
  @Get()
  @ApiOperation({ summary: '本单位的导入任务' })
  @ApiOkResponse({ type: ImportJobPageDto })
  @ApiErrors('imports.list')
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.bus.request(IntakeSubjects.list, { actor, page: query.page, pageSize: query.pageSize });
  }

  @Access('unit-own')
  @Get(':jobId/package')
  @ApiOperation({ summary: '下载导入时上传的原始文件（仅本单位，留存备查）' })
  @ApiProduces('application/zip', XLSX_TYPE)
  @ApiOkResponse({ description: '上传时的原始文件（逐字节相同）', schema: { type: 'string', format: 'binary' } })
  @ApiErrors('imports.package')
  async downloadPackage(
    @CurrentActor() actor: Actor,
    @Param('jobId', uuidParam()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const location = await this.bus.request(IntakeSubjects.packageOf, { actor, id });
    const bytes = await this.storage.get(bucketName(this.config, 'packages'), location.objectKey);
    res.setHeader('Content-Type', location.kind === 'zip' ? 'application/zip' : XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(location.fileName));
    res.setHeader('Cache-Control', 'no-store');
    res.send(bytes);
  }

  @Access('unit-own')
  @Get(':jobId')
  @ApiOperation({ summary: '导入任务的状态、进度和报告' })
  @ApiOkResponse({ type: ImportJobViewDto })
  @ApiErrors('imports.get')
  get(@CurrentActor() actor: Actor, @Param('jobId', uuidParam()) id: string) {
    return this.bus.request(IntakeSubjects.get, { actor, id });
  }
}
