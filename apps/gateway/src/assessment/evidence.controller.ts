import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import {
  Actor,
  CommonErrorCodes,
  EVIDENCE_TYPES_TEXT,
  EvidenceFileView,
  EvidenceScope,
  EvidenceSubjects,
} from '@app/contracts';
import { APP_CONFIG, BusClient, DomainError, ServiceUnavailableError } from '@app/platform/core';
import { bucketName, ObjectStorage } from '@app/storage';
import { IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { Access } from '../auth/access';
import { CurrentActor } from '../auth/current-actor';
import { sendStoredFile } from '../http/download';
import { uuidParam } from '../http/uuid-param';
import {
  declaredLength,
  MULTIPART_ENVELOPE_BYTES,
  receiveError,
  receiveFile,
  tooLarge,
  UploadSlots,
} from '../imports/upload-stream';
import { ApiErrors } from '../openapi/api-errors';
import { GatewayConfig } from '../gateway.settings';
import { EvidenceFileDto } from './self-assessment.responses';

export class EvidenceQuery {
  @ApiProperty({ description: '证据所属的否决项或扣分项 key（评分表中的 key）' })
  @IsString({ message: '请用 key 指明证据所属的评分项' })
  @MaxLength(64, { message: '评分项 key 过长' })
  key: string;
}

const UPLOAD_BODY = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
} as const;

/**
 * 评分证据: a screenshot, PDF or document uploaded for one veto or item — by the site for its
 * 自查评分, by inspectors for their 检查打分 of a sampled site. The bytes stream from the
 * request straight into object storage (bucket `evidence`, at most one part in memory); only
 * the reference crosses the bus. Assessment decides who may add, see and remove which file
 * (the same people who may change or see the sheet) and audits each change and download.
 */
@ApiTags('assessment')
@ApiBearerAuth()
@Controller()
export class EvidenceController {
  constructor(
    private readonly bus: BusClient,
    private readonly storage: ObjectStorage,
    private readonly slots: UploadSlots,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Access('site-own')
  @Post('sites/:siteCode/self-assessment/evidence')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiOperation({
    summary: '为自查评分的一项上传证据文件（截图、PDF、文档）',
    description: `网站本身在自查评分提交前上传；每项最多10个、每份评分最多100个文件，单个不超过 EVIDENCE_MAX_UPLOAD_BYTES（默认20 MiB）；可上传${EVIDENCE_TYPES_TEXT}。`,
  })
  @ApiCreatedResponse({ type: EvidenceFileDto })
  @ApiErrors('evidence.uploadSelf')
  uploadSelf(
    @CurrentActor() actor: Actor,
    @Param('siteCode') siteCode: string,
    @Query() query: EvidenceQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EvidenceFileView> {
    return this.upload(actor, { scope: 'self', siteCode }, query.key, req, res);
  }

  @Access('unit-subtree')
  @Post('inspections/:id/sites/:siteCode/evidence')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiOperation({
    summary: '为检查评分的一项上传证据文件（截图、PDF、文档）',
    description: '检查单位及其上级单位在该网站的检查评分提交前、检查结束前上传；限制同自查评分的证据。',
  })
  @ApiCreatedResponse({ type: EvidenceFileDto })
  @ApiErrors('evidence.uploadInspection')
  uploadInspection(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) inspectionId: string,
    @Param('siteCode') siteCode: string,
    @Query() query: EvidenceQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EvidenceFileView> {
    return this.upload(actor, { scope: 'inspection', siteCode, inspectionId }, query.key, req, res);
  }

  @Access('site-own', 'unit-subtree')
  @Get('evidence/:id')
  @ApiOperation({
    summary: '下载证据文件',
    description: '能查看该评分的人可以下载：自查证据为网站本身、主办单位及上级单位；检查证据为检查单位及其上级单位。',
  })
  @ApiOkResponse({ description: '上传时的文件（逐字节相同）', schema: { type: 'string', format: 'binary' } })
  @ApiErrors('evidence.download')
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const location = await this.bus.request(EvidenceSubjects.locate, { actor, id });
    const object = await this.storage.getStream(bucketName(this.config, 'evidence'), location.objectKey).catch(() => {
      throw new ServiceUnavailableError('gateway.evidence.read');
    });
    await sendStoredFile(
      res,
      { name: location.fileName, contentType: location.contentType, size: location.size },
      object,
    );
  }

  @Access('site-own', 'unit-subtree')
  @Delete('evidence/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: '删除证据文件',
    description: '评分提交前，上传它的一方可以删除：自查证据由网站删除，检查证据由检查单位及其上级单位删除。',
  })
  @ApiNoContentResponse({ description: '已删除' })
  @ApiErrors('evidence.delete')
  async remove(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string): Promise<void> {
    await this.bus.request(EvidenceSubjects.remove, { actor, id });
  }

  private async upload(
    actor: Actor,
    target: { scope: EvidenceScope; siteCode: string; inspectionId?: string },
    key: string,
    req: Request,
    res: Response,
  ): Promise<EvidenceFileView> {
    const maxBytes = this.config.EVIDENCE_MAX_UPLOAD_BYTES;
    const length = declaredLength(req);
    if (length !== undefined && length > maxBytes + MULTIPART_ENVELOPE_BYTES) throw tooLarge(maxBytes);
    return this.slots.run(this.config.IMPORT_UPLOADS_PER_GATEWAY, res, async () => {
      let reserved: string | undefined;
      try {
        const received = await receiveFile(req, res, {
          storage: this.storage,
          bucket: bucketName(this.config, 'evidence'),
          limitBytes: maxBytes,
          place: async (fileName) => {
            const upload = await this.bus.request(EvidenceSubjects.begin, { actor, ...target, key, fileName });
            reserved = upload.id;
            return { key: upload.objectKey, contentType: upload.contentType };
          },
        }).catch((err: unknown) => {
          throw receiveError(err, () => tooLarge(maxBytes), tooLarge(maxBytes), 'gateway.evidence.store');
        });
        if (!received || received.size === 0 || !reserved)
          throw new DomainError(
            CommonErrorCodes.VALIDATION_FAILED,
            '请选择要上传的证据文件（字段名 file，不能为空文件）',
          );
        return await this.bus.request(EvidenceSubjects.complete, { actor, id: reserved, size: received.size });
      } catch (err) {
        // The reservation and any bytes stored go; a reservation left by a broken bus is swept later.
        if (reserved) await this.bus.request(EvidenceSubjects.abort, { actor, id: reserved }).catch(() => undefined);
        throw err;
      }
    });
  }
}
