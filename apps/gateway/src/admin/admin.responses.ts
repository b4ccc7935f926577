import { ApiProperty } from '@nestjs/swagger';
import {
  AccountView,
  ALL_ROLES,
  AuditBrokenLink,
  AuditEntryView,
  AuditPage,
  AuditVerifyResult,
  Role,
} from '@app/contracts';
import { PageOf } from '../openapi/page.dto';

/** What the support desk sees of an account: never the contact (the reset's proofs). */
export class AccountViewDto implements AccountView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, description: '账号（单位账号即单位代码）', example: '130300' }) username: string;
  @ApiProperty({ enum: ALL_ROLES, isArray: true }) roles: Role[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: '所属单位名称；技术支持和审计员为 null',
    example: '秦皇岛市',
  })
  orgUnitName: string | null;
  @ApiProperty({ type: Number, nullable: true, description: '单位层级：0 国务院办公厅，1 省级，2 地市级，3 区县级' })
  orgUnitLevel: number | null;
  @ApiProperty({ type: String, nullable: true, description: '单位类别', example: '地市级单位' })
  orgUnitKind: string | null;
  @ApiProperty({ type: String, description: '所在地区（自省级起的上级单位名称）', example: '河北省' }) region: string;
  @ApiProperty({ type: Boolean, description: '单位是否已登记联系人（未登记则无法核验重置；不返回联系人信息本身）' })
  contactRegistered: boolean;
  @ApiProperty({ type: Boolean, description: '仍须修改初始（或重置后的）密码' }) mustChangePassword: boolean;
  @ApiProperty({ type: Boolean, description: '是否处于锁定中' }) locked: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: '锁定到何时；未锁定为 null' })
  lockedUntil: string | null;
}

export const AccountPageDto = PageOf(AccountViewDto, 'AccountPage');

export class AuditEntryViewDto implements AuditEntryView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ type: String, description: '记录此事的服务', example: 'review' }) service: string;
  @ApiProperty({ type: String, description: '操作代码', example: 'record.approve' }) action: string;
  @ApiProperty({ enum: ['success', 'denied', 'failure'] }) outcome: 'success' | 'denied' | 'failure';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorAccountId: string | null;
  @ApiProperty({ type: String, nullable: true }) actorUsername: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorOrgUnitId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'record' }) targetType: string | null;
  @ApiProperty({ type: String, nullable: true }) targetId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) details: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;
  @ApiProperty({ type: Number, description: '在哈希链中的序号（追加时分配，连续）', example: 1 }) seq: number;
  @ApiProperty({ type: String, description: '本条的哈希：SHA-256(前一条哈希 + 本条内容)，十六进制' }) hash: string;
  @ApiProperty({ type: String, description: '前一条的哈希（第一条为 64 个 0）' }) prevHash: string;
  @ApiProperty({ type: String, description: '操作名称', example: '审核通过' }) actionName: string;
  @ApiProperty({ type: String, description: '结果', example: '成功' }) outcomeName: string;
  @ApiProperty({ type: String, description: '操作人（账号及单位）', example: '秦皇岛市（130300）' }) actorName: string;
  @ApiProperty({ type: String, description: '对象（单位名称或网站名称）', example: '网站「秦皇岛市人民政府」' })
  targetName: string;
  @ApiProperty({ type: String, description: '详情（一句中文）' }) summary: string;
}

export class AuditPageDto implements AuditPage {
  @ApiProperty({ type: [AuditEntryViewDto], description: '本页的条目' }) items: AuditEntryViewDto[];
  @ApiProperty({ type: Number, description: '符合条件的条目总数（不限于本页）', example: 1 }) total: number;
  @ApiProperty({ type: Number, description: '本次查询截至的链序号；翻页时作为 asOfSeq 传回，条目不会错位' })
  asOfSeq: number;
}

export class AuditBrokenLinkDto implements AuditBrokenLink {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '出问题的记录（链尾缺失时为 null）' })
  entryId: string | null;
  @ApiProperty({ type: Number }) seq: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) at: string | null;
  @ApiProperty({ type: String, description: '问题所在', example: '记录内容与其哈希不符（内容被改动）' })
  problem: string;
}

export class AuditVerifyDto implements AuditVerifyResult {
  @ApiProperty({ type: Boolean, description: '哈希链完整' }) ok: boolean;
  @ApiProperty({ type: Number, description: '核对的条数' }) checked: number;
  @ApiProperty({ type: Number, description: '按保留期清理到的序号（0：未清理过）' }) anchorSeq: number;
  @ApiProperty({ type: Number, description: '最后一条的序号' }) headSeq: number;
  @ApiProperty({ type: AuditBrokenLinkDto, nullable: true, description: '第一处断链；完整时为 null' })
  firstBroken: AuditBrokenLinkDto | null;
  @ApiProperty({ type: String, description: '结论（中文）' }) message: string;
}

export class AuditActionDto {
  @ApiProperty({ type: String, example: 'record.approve' }) code: string;
  @ApiProperty({ type: String, example: '审核通过' }) name: string;
}

export class ResetDoneDto {
  @ApiProperty({ enum: [true], description: '已重置为初始密码，下次登录须修改' }) reset: true;
}

export class UnlockedDto {
  @ApiProperty({ enum: [true] }) unlocked: true;
}
