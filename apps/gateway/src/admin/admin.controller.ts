import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  IntersectionType,
} from '@nestjs/swagger';
import {
  AccountSubjects,
  Actor,
  AUDIT_ACTION_NAMES,
  AUDIT_ACTIONS,
  ExportErrorCodes,
  IsDateTimeInRange,
} from '@app/contracts';
import { BusClient, DomainError } from '@app/platform/core';
import { Type } from 'class-transformer';
import type { Response } from 'express';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { CurrentActor } from '../auth/current-actor';
import { Access } from '../auth/access';
import { PageQuery } from '../http/page-query';
import { ApiErrors } from '../openapi/api-errors';
import { contentDisposition } from '../http/download';
import {
  AccountPageDto,
  AuditActionDto,
  AuditPageDto,
  AuditVerifyDto,
  ResetDoneDto,
  UnlockedDto,
} from './admin.responses';
import { XLSX_TYPE } from '@app/contracts';
import { MAX_EXPORT_ROWS, writeAuditWorkbook } from '@app/contracts/workbooks/audit-workbook';

/** Entries per bus request while exporting (a page of views stays well under NATS's 1 MB). */
const EXPORT_PAGE = 500;
/** Verifying reads and hashes every entry kept (millions after 180 days of a national system). */
const VERIFY_TIMEOUT_MS = 5 * 60 * 1000;

export class ResetBody {
  @ApiProperty({ description: '联系人姓名（与登记的一致）' }) @IsString() @MaxLength(50) contactName: string;
  @ApiProperty({ description: '登记的办公电话或手机' }) @IsString() @MaxLength(40) phone: string;
  @ApiProperty({ description: '单位名称' }) @IsString() @MaxLength(100) orgUnitName: string;
  @ApiProperty({ description: '所在处室（部门）' }) @IsString() @MaxLength(100) department: string;
  @ApiProperty({ description: '初始密码' }) @IsString() @MaxLength(64) initialPassword: string;
}

export class AccountsQuery extends PageQuery {
  @ApiProperty({ description: '单位代码（账号）或单位名称中的文字', example: '秦皇岛' })
  @IsString()
  @MaxLength(64)
  q: string;
}

/** The audit log's filters, the same for the list and the Excel export. */
export class AuditFilters {
  @ApiPropertyOptional({ description: '操作者账号' }) @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional({
    description: '操作代码（GET /admin/audit/actions 列出每个代码的中文名称），多个用逗号分隔',
    example: 'record.approve,record.return',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^[A-Za-z.-]+(,[A-Za-z.-]+)*$/, { message: 'action 应为操作代码，多个用英文逗号分隔，如 record.approve' })
  action?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateTimeInRange('from')
  from?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateTimeInRange('to')
  to?: string;
}

export class AuditQuery extends IntersectionType(PageQuery, AuditFilters) {
  @ApiPropertyOptional({ description: '只看截至此链序号的条目（上一页答复的 asOfSeq，翻页时条目不错位）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'asOfSeq 应为非负整数' })
  @Min(0, { message: 'asOfSeq 应为非负整数' })
  asOfSeq?: number;
}

/** The audit list's query as identity's search takes it (also a background export's filters). */
export function searchFilters(query: AuditFilters) {
  return {
    actorUsername: query.actor,
    actions: query.action ? query.action.split(',') : undefined,
    from: query.from,
    to: query.to,
  };
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminController {
  constructor(private readonly bus: BusClient) {}

  @Access('support')
  @Get('accounts')
  @ApiOperation({
    summary: '按单位代码或单位名称查找账号（技术支持）',
    description: '返回账号、单位名称、层级、地区和是否锁定；不返回联系人姓名、电话、邮箱等个人信息。',
  })
  @ApiOkResponse({ type: AccountPageDto })
  @ApiErrors('admin.findAccounts')
  find(@CurrentActor() actor: Actor, @Query() query: AccountsQuery) {
    return this.bus.request(AccountSubjects.find, {
      actor,
      q: query.q,
      page: query.page,
      pageSize: Math.min(query.pageSize, 100),
    });
  }

  @Access('support')
  @Post('accounts/:username/reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: '核验身份后把密码重置为初始密码（技术支持）',
    description:
      '技术支持录入来电人提供的五项信息，由服务端与登记信息比对，只回答一致（重置）或不一致（403），不透露哪一项不符。',
  })
  @ApiOkResponse({ type: ResetDoneDto })
  @ApiErrors('admin.resetPassword')
  reset(@CurrentActor() actor: Actor, @Param('username') username: string, @Body() body: ResetBody) {
    return this.bus.request(AccountSubjects.resetToInitial, { actor, username, ...body });
  }

  @Access('support', 'root')
  @Post('accounts/:username/unlock')
  @HttpCode(200)
  @ApiOperation({
    summary: '解除账号在各终端的登录锁定或延时（技术支持可解锁任何账号；根节点账号只能解锁技术支持账号）',
  })
  @ApiOkResponse({ type: UnlockedDto })
  @ApiErrors('admin.unlock')
  unlock(@CurrentActor() actor: Actor, @Param('username') username: string) {
    return this.bus.request(AccountSubjects.unlock, { actor, username });
  }

  @Access('auditor')
  @Get('audit')
  @ApiOperation({ summary: '审计日志（仅审计员）：操作、对象、详情均为中文，可按多个操作筛选' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors('admin.audit')
  audit(@CurrentActor() actor: Actor, @Query() query: AuditQuery) {
    return this.bus.request(AccountSubjects.searchAudit, {
      actor,
      ...searchFilters(query),
      asOfSeq: query.asOfSeq,
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  @Get('audit/actions')
  @Access('auditor')
  @ApiOperation({ summary: '审计日志的操作代码及中文名称（仅审计员），供筛选' })
  @ApiOkResponse({ type: [AuditActionDto] })
  @ApiErrors('admin.auditActions')
  actions(): AuditActionDto[] {
    return AUDIT_ACTIONS.map((code) => ({ code, name: AUDIT_ACTION_NAMES[code] }));
  }

  @Get('audit/verify')
  @Access('auditor')
  @ApiOperation({ summary: '校验审计日志的哈希链（仅审计员）：完整则答复核对条数，否则指出第一处断链' })
  @ApiOkResponse({ type: AuditVerifyDto })
  @ApiErrors('admin.auditVerify')
  verify(@CurrentActor() actor: Actor) {
    // Reads the whole chain: allowed far longer than an ordinary request.
    return this.bus.request(AccountSubjects.verifyAudit, { actor }, { timeoutMs: VERIFY_TIMEOUT_MS });
  }

  @Get('audit/export')
  @Access('auditor')
  @ApiOperation({ summary: `按筛选条件导出审计日志为 Excel（仅审计员，最多 ${MAX_EXPORT_ROWS} 条）` })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: '审计日志.xlsx，中文表头；Content-Disposition 带 UTF-8 文件名（filename*）',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors('admin.auditExport')
  async export(@CurrentActor() actor: Actor, @Query() query: AuditFilters, @Res() res: Response): Promise<void> {
    const filters = searchFilters(query);
    const first = await this.bus.request(AccountSubjects.searchAudit, {
      actor,
      ...filters,
      page: 1,
      pageSize: EXPORT_PAGE,
    });
    if (first.total > MAX_EXPORT_ROWS)
      throw new DomainError(
        ExportErrorCodes.EXPORT_TOO_LARGE,
        `符合条件的审计记录有 ${first.total} 条，一次最多直接导出 ${MAX_EXPORT_ROWS} 条：请使用“后台导出”（完成后在审计日志页下载），或缩小时间范围、筛选条件`,
        { maxRows: MAX_EXPORT_ROWS },
      );
    // Recorded before the file goes out: the attempt is what the log must show.
    await this.bus.request(AccountSubjects.exportedAudit, {
      actor,
      rows: first.total,
      filters: Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)),
    });
    const bus = this.bus;
    async function* pages() {
      yield first.items;
      for (let page = 2, read = first.items.length; read < first.total; page++) {
        const next = await bus.request(AccountSubjects.searchAudit, {
          actor,
          ...filters,
          asOfSeq: first.asOfSeq,
          page,
          pageSize: EXPORT_PAGE,
        });
        if (next.items.length === 0) return; // purged meanwhile
        read += next.items.length;
        yield next.items;
      }
    }
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition('审计日志.xlsx'));
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writeAuditWorkbook(res, pages());
    } catch (err) {
      // Part of the file may be out already: end the response broken rather than pretend.
      if (res.headersSent) res.destroy(err as Error);
      else throw err;
    }
  }
}
