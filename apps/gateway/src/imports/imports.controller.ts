import { XLSX_TYPE } from '@app/contracts';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
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
import {
  Actor,
  CommonErrorCodes,
  IMPORT_REPORT_PAGE_MAX,
  IntakeErrorCodes,
  MAX_PAGE,
  IntakeSubjects,
  UploadLease,
} from '@app/contracts';
import { APP_CONFIG, BusClient, DomainError, ServiceUnavailableError } from '@app/platform/core';
import { bucketName, ObjectStorage } from '@app/storage';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { sendStoredFile } from '../http/download';
import { CurrentActor } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { ImportFormReportPageDto, ImportJobCreatedDto, ImportJobPageDto, ImportJobViewDto } from './imports.responses';
import { GatewayConfig } from '../gateway.settings';
import { Access } from '../auth/access';
import {
  contentType,
  declaredLength,
  MULTIPART_ENVELOPE_BYTES,
  StoredUpload,
  streamUpload,
  tooLarge,
  UploadSlots,
} from './upload-stream';

/** `?page=1&pageSize=100` of a report: at most IMPORT_REPORT_PAGE_MAX forms a page. */
export class ImportReportQuery {
  @ApiPropertyOptional({ default: 1, maximum: MAX_PAGE })
  @Type(() => Number)
  @IsInt({ message: `page 应为1到${MAX_PAGE}的整数` })
  @Min(1, { message: `page 应为1到${MAX_PAGE}的整数` })
  @Max(MAX_PAGE, { message: `page 应为1到${MAX_PAGE}的整数` })
  page = 1;

  @ApiPropertyOptional({ default: IMPORT_REPORT_PAGE_MAX, maximum: IMPORT_REPORT_PAGE_MAX })
  @Type(() => Number)
  @IsInt({ message: `pageSize 应为1到${IMPORT_REPORT_PAGE_MAX}的整数` })
  @Min(1, { message: `pageSize 应为1到${IMPORT_REPORT_PAGE_MAX}的整数` })
  @Max(IMPORT_REPORT_PAGE_MAX, { message: `pageSize 应为1到${IMPORT_REPORT_PAGE_MAX}的整数` })
  pageSize = IMPORT_REPORT_PAGE_MAX;
}

export class ImportQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'true 为预检：报告将会发生什么，不改变任何数据' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === '1' || value === true)
  @IsBoolean()
  dryRun?: boolean;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly bus: BusClient,
    private readonly storage: ObjectStorage,
    private readonly slots: UploadSlots,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * The upload streams into object storage (never held in memory whole), size-limited while
   * it streams in (413 past the limit or past the unit's quota), under a lease that counts
   * against the unit's concurrent uploads (429 past the limit, with Retry-After; likewise past
   * this replica's own limit of uploads at once, which bounds its memory). It is kept
   * under the importing unit — for audit; refused and dry-run uploads until their retention
   * runs out — and queued as a job (202).
   */
  @Access('unit-own')
  @Post()
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({
    summary: '导入上报文件（ZIP）或 Excel 模板（.xlsx，或 Excel 97–2003 的 .xls）；dryRun=true 为预检，不改变任何数据',
  })
  @ApiAcceptedResponse({ type: ImportJobCreatedDto, description: '已排队；结果用 GET /imports/{jobId} 查看' })
  @ApiErrors('imports.start')
  async start(
    @CurrentActor() actor: Actor,
    @Query() query: ImportQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ jobId: string }> {
    const unitActor = actor as Actor & { orgUnitId: string };
    if (!unitActor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以导入网站信息');
    const maxBytes = this.config.IMPORT_MAX_UPLOAD_BYTES;
    const length = declaredLength(req);
    // Refused before a byte of the body is read: too long by its own account.
    if (length !== undefined && length > maxBytes + MULTIPART_ENVELOPE_BYTES) throw tooLarge(maxBytes);
    // This replica's own bound, whatever the units: each upload holds up to one part in memory.
    return this.slots.run(this.config.IMPORT_UPLOADS_PER_GATEWAY, res, () =>
      this.receive(unitActor, query, req, res, length),
    );
  }

  private async receive(
    actor: Actor & { orgUnitId: string },
    query: ImportQuery,
    req: Request,
    res: Response,
    length: number | undefined,
  ): Promise<{ jobId: string }> {
    const maxBytes = this.config.IMPORT_MAX_UPLOAD_BYTES;
    const lease = await this.bus
      .request(IntakeSubjects.beginUpload, {
        actor,
        minBytes: length === undefined ? 0 : Math.max(0, length - MULTIPART_ENVELOPE_BYTES),
        reserveBytes: Math.min(length ?? maxBytes, maxBytes),
      })
      .catch((err: unknown) => {
        if (err instanceof DomainError && err.code === IntakeErrorCodes.UPLOAD_LIMIT_REACHED) {
          const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
          if (seconds) res.setHeader('Retry-After', String(seconds));
        }
        throw err;
      });
    const renewal = this.keepRenewing(actor, lease);
    let stored: StoredUpload | undefined;
    let queued = false;
    try {
      stored = await streamUpload(req, res, {
        storage: this.storage,
        bucket: bucketName(this.config, 'packages'),
        orgUnitId: actor.orgUnitId,
        limits: { maxBytes, remainingBytes: lease.remainingBytes, quotaBytes: lease.quotaBytes },
      });
      if (!stored || stored.size === 0)
        throw new DomainError(CommonErrorCodes.VALIDATION_FAILED, '请选择要导入的文件（字段名 file）');
      const job = await this.bus.request(IntakeSubjects.start, {
        actor,
        objectKey: stored.objectKey,
        fileName: stored.fileName,
        size: stored.size,
        kind: stored.kind,
        dryRun: query.dryRun ?? false,
        leaseId: lease.leaseId,
      });
      queued = true;
      return job;
    } catch (err) {
      // Nothing is kept without a job: the stored upload goes when intake refused the job
      // (e.g. the quota was used up by another upload meanwhile) or never received the request
      // (no intake running). Not when the request may have arrived (a timeout, a broken
      // connection): the job may exist and need its package; if it does not, the orphan sweep
      // of intake deletes the object after IMPORT_ORPHAN_GRACE_SECONDS.
      if (stored && !(err instanceof ServiceUnavailableError && err.mayHaveArrived))
        await this.storage.remove(bucketName(this.config, 'packages'), stored.objectKey).catch(() => undefined);
      throw err;
    } finally {
      clearInterval(renewal);
      if (!queued)
        await this.bus.request(IntakeSubjects.endUpload, { actor, leaseId: lease.leaseId }).catch(() => undefined);
    }
  }

  /** Renews the upload's lease every third of its length while the bytes stream in. */
  private keepRenewing(actor: Actor, lease: UploadLease): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.bus.request(IntakeSubjects.renewUpload, { actor, leaseId: lease.leaseId }).catch(() => undefined);
    }, lease.leaseMs / 3);
    timer.unref();
    return timer;
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
  @ApiProduces('application/zip', XLSX_TYPE, 'application/vnd.ms-excel')
  @ApiOkResponse({ description: '上传时的原始文件（逐字节相同）', schema: { type: 'string', format: 'binary' } })
  @ApiErrors('imports.package')
  async downloadPackage(
    @CurrentActor() actor: Actor,
    @Param('jobId', uuidParam()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const location = await this.bus.request(IntakeSubjects.packageOf, { actor, id });
    const object = await this.storage.getStream(bucketName(this.config, 'packages'), location.objectKey);
    await sendStoredFile(
      res,
      { name: location.fileName, contentType: contentType(location.fileName), size: location.size },
      object,
    );
  }

  @Access('unit-own')
  @Get(':jobId/report')
  @ApiOperation({
    summary: '导入报告的一页（先列被拒绝的表，再列有提醒的表，其余按上报文件中的顺序；每页最多 100 张表）',
  })
  @ApiOkResponse({ type: ImportFormReportPageDto })
  @ApiErrors('imports.report')
  report(@CurrentActor() actor: Actor, @Param('jobId', uuidParam()) id: string, @Query() query: ImportReportQuery) {
    return this.bus.request(IntakeSubjects.report, { actor, id, page: query.page, pageSize: query.pageSize });
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
