import { ApiProperty } from '@nestjs/swagger';
import {
  FieldChange,
  LIFECYCLE_STATES,
  LifecycleState,
  PendingRequest,
  REQUEST_KINDS,
  RequestKind,
  RECORD_ACTION_LABELS,
  RECORD_STATUSES,
  RecordAction,
  RecordHistoryEntry,
  RECORD_SEARCH_COUNT_LIMIT,
  RecordListItem,
  RecordPage,
  RecordState,
  RecordStatus,
} from '@app/contracts';
import type { ColumnInfo, ContactInfo, PrincipalInfo, SiteInfo } from '@app/forms';
import { PageOf } from '../openapi/page.dto';

const ACTIONS = Object.keys(RECORD_ACTION_LABELS) as RecordAction[];
const LIFECYCLE_TEXT = '网站运行状态：ACTIVE 运行中、CLOSED 已关停、DEREGISTERED 已注销（只读）';
const REQUEST_TEXT =
  '审核中的申请：CHANGE 变更、CLOSE 关停、REOPEN 恢复、DEREGISTER 注销；申请期间 status/holder 表示申请的审核流转，内容仍为已审核的内容';
const STATUS_TEXT = '状态：DRAFT 未提交、PENDING 未审核、APPROVED 已审核、RETURNED 已退回';

export class RecordListItemDto implements RecordListItem {
  @ApiProperty({ type: String, format: 'uuid', description: '表单编号（记录编号）' }) id: string;
  @ApiProperty({ type: String }) siteName: string;
  @ApiProperty({ type: String }) homepageUrl: string;
  @ApiProperty({ enum: RECORD_STATUSES, description: STATUS_TEXT }) status: RecordStatus;
  @ApiProperty({ type: String, example: '未审核' }) statusLabel: string;
  @ApiProperty({ type: String, format: 'uuid', description: '填报单位（导入该记录的单位）' }) ownerOrgUnitId: string;
  @ApiProperty({ type: String, format: 'uuid', description: '当前处理单位' }) holderOrgUnitId: string;
  @ApiProperty({ type: String, nullable: true, description: '当前处理单位的名称', example: '秦皇岛市' })
  holderName: string | null;
  @ApiProperty({ type: String, description: '记录在哪里、等谁处理', example: '待 秦皇岛市 审核' }) statusText: string;
  @ApiProperty({ type: String, description: '地区/部门', example: '河北省 秦皇岛市' }) regionName: string;
  @ApiProperty({ type: String, nullable: true, description: '网站标识码（终审通过后才有）', example: '1303000001' })
  siteCode: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
  @ApiProperty({ enum: LIFECYCLE_STATES, description: LIFECYCLE_TEXT }) lifecycle: LifecycleState;
  @ApiProperty({ type: String, example: '运行中' }) lifecycleLabel: string;
  @ApiProperty({ enum: REQUEST_KINDS, nullable: true, description: REQUEST_TEXT }) requestKind: RequestKind | null;
  @ApiProperty({ type: String, nullable: true, example: '变更' }) requestKindLabel: string | null;
}

/** `{items, total}` plus whether the total is exact and where the next page starts. */
export class RecordPageDto extends PageOf(RecordListItemDto, 'RecordPageBase') implements RecordPage {
  @ApiProperty({
    type: Boolean,
    description: `total 是否为精确数：搜索（q）命中超过${RECORD_SEARCH_COUNT_LIMIT}条时只数到${RECORD_SEARCH_COUNT_LIMIT}，total 为${RECORD_SEARCH_COUNT_LIMIT}、totalExact 为 false（"超过${RECORD_SEARCH_COUNT_LIMIT}条"）`,
  })
  totalExact: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: '下一页的位置：作为 after 传回即得下一页（比 page 翻页快，深翻页也不变慢）；最后一页为 null',
    example: '1764806400123456_0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10',
  })
  next: string | null;

  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(RECORD_STATUSES.map((s) => [s, { type: 'number' }])),
    description: '各状态的记录数（同一范围和地区，不受 status 和 q 影响）：状态页签上的数字',
    example: { DRAFT: 3, PENDING: 12, APPROVED: 40, RETURNED: 1 },
  })
  counts: Record<RecordStatus, number>;
}
Object.defineProperty(RecordPageDto, 'name', { value: 'RecordPage' });

/** What every workflow action answers. Never the 校验码. */
export class RecordStateDto implements RecordState {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ enum: RECORD_STATUSES, description: STATUS_TEXT }) status: RecordStatus;
  @ApiProperty({ type: String, example: '已审核' }) statusLabel: string;
  @ApiProperty({ type: String, format: 'uuid' }) ownerOrgUnitId: string;
  @ApiProperty({ type: String, format: 'uuid' }) holderOrgUnitId: string;
  @ApiProperty({ type: String, nullable: true, example: '1303000001' }) siteCode: string | null;
}

// The form's sections, as GET /api/v1/public/form-schema defines them (labels and rules there).
export class SiteInfoDto implements SiteInfo {
  @ApiProperty({ type: String, description: '网站名称' }) siteName: string;
  @ApiProperty({ type: String, description: '首页网址' }) homepageUrl: string;
  @ApiProperty({ type: String, description: '跳转网址（可为空字符串）' }) redirectUrl: string;
  @ApiProperty({ type: String, description: '网站类型：portal / department' }) siteKind: string;
  @ApiProperty({ type: String, description: '网站类别：own-portal / own-department / subordinate' }) layer: string;
  @ApiProperty({ type: String, description: '主办单位' }) sponsorUnit: string;
  @ApiProperty({ type: String, description: '运维单位' }) operatorUnit: string;
  @ApiProperty({ type: String, description: '办公地址' }) officeAddress: string;
  @ApiProperty({ type: String, description: 'ICP备案号' }) icpNumber: string;
  @ApiProperty({ type: String, description: '公安机关备案号' }) psbNumber: string;
  @ApiProperty({ type: String, description: '运行状态：normal / exception / closing' }) siteStatus: string;
  @ApiProperty({ type: String, description: '填报单位' }) fillerUnit: string;
}

export class PrincipalInfoDto implements PrincipalInfo {
  @ApiProperty({ type: String, description: '姓名' }) name: string;
  @ApiProperty({ type: String, description: '职务' }) title: string;
  @ApiProperty({ type: String, description: '办公电话' }) officePhone: string;
  @ApiProperty({ type: String, description: '手机' }) mobile: string;
  @ApiProperty({ type: String, description: '电子邮箱' }) email: string;
}

export class ContactInfoDto implements ContactInfo {
  @ApiProperty({ type: String, description: '姓名' }) name: string;
  @ApiProperty({ type: String, description: '办公电话' }) officePhone: string;
  @ApiProperty({ type: String, description: '手机' }) mobile: string;
  @ApiProperty({ type: String, description: '电子邮箱' }) email: string;
}

export class ColumnInfoDto implements ColumnInfo {
  @ApiProperty({ type: String, description: '栏目名称' }) name: string;
  @ApiProperty({ type: String, description: '栏目地址' }) url: string;
  @ApiProperty({ type: String, description: '类别：information / interaction / service' }) category: string;
}

/** PUT /forms/:id: the whole form, as the offline client writes it. */
export class FormContentDto {
  @ApiProperty({ type: String, format: 'uuid', description: '表单编号，须与路径中的编号相同' }) id: string;
  @ApiProperty({ type: String, example: 'site-basic-info' }) type: string;
  @ApiProperty({ type: String, example: '2015.1' }) schemaVersion: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: () => SiteInfoDto }) site: SiteInfo;
  @ApiProperty({ type: () => PrincipalInfoDto }) principal: PrincipalInfo;
  @ApiProperty({ type: () => ContactInfoDto }) contact: ContactInfo;
  @ApiProperty({ type: () => [ColumnInfoDto] }) columns: ColumnInfo[];
}

/** GET/PUT /forms/:id: the current content version with the workflow state beside it. */
export class RecordDetailDto extends RecordStateDto {
  @ApiProperty({ type: String, example: 'site-basic-info' }) type: string;
  @ApiProperty({ type: String, example: '2015.1' }) schemaVersion: string;
  @ApiProperty({ type: String, format: 'date-time', description: '表单内容的最后修改时间' }) updatedAt: string;
  @ApiProperty({ type: () => SiteInfoDto, description: '网站信息' }) site: SiteInfo;
  @ApiProperty({ type: () => PrincipalInfoDto, description: '负责人' }) principal: PrincipalInfo;
  @ApiProperty({ type: () => ContactInfoDto, description: '联系人' }) contact: ContactInfo;
  @ApiProperty({ type: () => [ColumnInfoDto], description: '栏目（系统）信息' }) columns: ColumnInfo[];
  @ApiProperty({ type: String, description: '地区/部门：导入单位的代码' }) regionCode: string;
  @ApiProperty({ type: String, description: '地区/部门：导入单位的名称', example: '河北省 秦皇岛市' })
  regionName: string;
  @ApiProperty({ type: Number, description: '内容版本号（导入或修改一次加一）' }) version: number;
  @ApiProperty({ type: String, format: 'date-time', description: '记录（内容或状态）的最后变动时间' })
  recordUpdatedAt: string;
  @ApiProperty({ enum: LIFECYCLE_STATES, description: LIFECYCLE_TEXT }) lifecycle: LifecycleState;
  @ApiProperty({ type: String, example: '运行中' }) lifecycleLabel: string;
  @ApiProperty({ type: String, nullable: true, description: '已关停：关停理由' }) closedReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '已关停：预计恢复日期' })
  expectedReopenDate: string | null;
  @ApiProperty({
    type: () => PendingRequestDto,
    nullable: true,
    description: '审核中的申请（变更/关停/恢复/注销）；终审通过前，上面的内容仍是已审核的当前内容',
  })
  pendingRequest: PendingRequest | null;
  @ApiProperty({ type: String, nullable: true, description: '当前处理单位的名称', example: '秦皇岛市' })
  holderName: string | null;
  @ApiProperty({ type: String, description: '记录在哪里、等谁处理', example: '待 秦皇岛市 审核' }) statusText: string;
  @ApiProperty({ type: () => LastReturnDto, nullable: true, description: '已退回时：最近一次退回（谁、何时、理由）' })
  lastReturn: LastReturnDto | null;
}

export class FieldChangeDto implements FieldChange {
  @ApiProperty({ type: String, example: 'principal.mobile' }) path: string;
  @ApiProperty({ type: String, example: '负责人手机' }) label: string;
  @ApiProperty({ type: String, description: '当前（已审核）的值' }) before: string;
  @ApiProperty({ type: String, description: '申请变更后的值' }) after: string;
}

export class PendingRequestDto implements PendingRequest {
  @ApiProperty({ enum: REQUEST_KINDS }) kind: RequestKind;
  @ApiProperty({ type: String, example: '变更' }) kindLabel: string;
  @ApiProperty({ type: String, nullable: true, description: '申请理由（变更说明）' }) reason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: '关停：预计恢复日期' })
  expectedReopenDate: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt: string;
  @ApiProperty({ type: String, nullable: true, description: '申请人账号' }) requestedBy: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: '提出申请的单位（填报单位）的名称；单位名称暂时查不到时为 null',
    example: '北戴河区',
  })
  requestedByName: string | null;
  @ApiProperty({ type: () => FormContentDto, required: false, description: '变更：申请的整张表' })
  content?: Record<string, unknown>;
  @ApiProperty({ type: () => [FieldChangeDto], required: false, description: '变更：与当前内容逐项对比' })
  changes?: FieldChange[];
}

export class LastReturnDto {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ type: String, description: '退回理由' }) reason: string;
  @ApiProperty({ type: String, nullable: true, description: '退回的单位', example: '秦皇岛市' })
  byOrgUnitName: string | null;
}

export class RecordHistoryEntryDto implements RecordHistoryEntry {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ enum: ACTIONS }) action: RecordAction;
  @ApiProperty({ type: String, example: '退回' }) actionLabel: string;
  @ApiProperty({ type: String, nullable: true }) actorUsername: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorOrgUnitId: string | null;
  @ApiProperty({ enum: RECORD_STATUSES, nullable: true }) fromStatus: RecordStatus | null;
  @ApiProperty({ enum: RECORD_STATUSES, nullable: true }) toStatus: RecordStatus | null;
  @ApiProperty({ type: String, nullable: true }) fromStatusLabel: string | null;
  @ApiProperty({ type: String, nullable: true }) toStatusLabel: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) fromHolderOrgUnitId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) toHolderOrgUnitId: string | null;
  @ApiProperty({ type: String, nullable: true, description: '退回理由' }) reason: string | null;
  @ApiProperty({ type: String, nullable: true, description: '操作单位的名称' }) actorOrgUnitName: string | null;
  @ApiProperty({ type: String, nullable: true }) fromHolderName: string | null;
  @ApiProperty({ type: String, nullable: true }) toHolderName: string | null;
  @ApiProperty({ type: String, description: '这一步用一句话说', example: '秦皇岛市 审核通过，报送 河北省' })
  description: string;
}

export class RecordDeletedDto {
  @ApiProperty({ type: Boolean, enum: [true] }) deleted: true;
}

export class SubmitAllResultDto {
  @ApiProperty({ type: Number, description: '提交的记录数' }) submitted: number;
}

export class ReviewAllResultDto {
  @ApiProperty({ type: Number, description: '终审通过（已审核）的记录数' }) approved: number;
  @ApiProperty({ type: Number, description: '审核通过后报上一级的记录数' }) forwarded: number;
}
