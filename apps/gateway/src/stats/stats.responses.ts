import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  OrgUnitKind,
  RecordLifecycle,
  RecordStatus,
  ReminderSent,
  ReminderSkipped,
  ReminderSkipReason,
  RemindersResult,
  UnitCounts,
  UnitStatsRow,
  UnitStatsTable,
  ZeroReportState,
} from '@app/contracts';
import { REMINDER_SKIP_REASONS } from '@app/contracts';

export class StatusCountsDto implements Record<RecordStatus, number> {
  @ApiProperty({ type: Number, description: '未提交' }) DRAFT: number;
  @ApiProperty({ type: Number, description: '未审核（在审核链上）' }) PENDING: number;
  @ApiProperty({ type: Number, description: '已审核（终审通过）' }) APPROVED: number;
  @ApiProperty({ type: Number, description: '已退回' }) RETURNED: number;
}

export class LifecycleCountsDto implements Record<RecordLifecycle, number> {
  @ApiProperty({ type: Number, description: '运行中' }) ACTIVE: number;
  @ApiProperty({ type: Number, description: '已关停' }) CLOSED: number;
  @ApiProperty({ type: Number, description: '已注销' }) DEREGISTERED: number;
}

export class UnitCountsDto implements UnitCounts {
  @ApiProperty({ type: Number, description: '网站数（任何状态）' }) websites: number;
  @ApiProperty({ type: () => StatusCountsDto }) byStatus: Record<RecordStatus, number>;
  @ApiProperty({ type: () => LifecycleCountsDto }) byLifecycle: Record<RecordLifecycle, number>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: '最近一次变动' })
  lastActivityAt: string | null;
}

export class UnitStatsRowDto extends UnitCountsDto implements UnitStatsRow {
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: String }) code: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String, description: '单位类别' }) unitKind: OrgUnitKind;
  @ApiProperty({ type: Number, description: '下级单位数（>0 可下钻）' }) childCount: number;
  @ApiProperty({ type: Boolean, description: '已声明零报送（无政府网站）' }) zeroReport: boolean;
  @ApiProperty({ type: Boolean, description: '已报送：辖区内至少一条记录已提交，或已声明零报送' }) reported: boolean;
}

export class StatsPathLinkDto {
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: String }) name: string;
}

export class UnitStatsTableDto implements UnitStatsTable {
  @ApiProperty({ type: () => UnitStatsRowDto, description: '所查单位（其整个辖区）' }) unit: UnitStatsRow;
  @ApiProperty({ type: () => [StatsPathLinkDto], description: '从本单位到所查单位的路径（面包屑）' })
  path: Array<{ orgUnitId: string; name: string }>;
  @ApiProperty({ type: () => UnitCountsDto, description: '本级：所查单位自己的网站' }) own: UnitCounts;
  @ApiProperty({ type: () => [UnitStatsRowDto], description: '每个直接下级一行（其整个辖区）' })
  children: UnitStatsRow[];
  @ApiProperty({ type: () => UnitCountsDto, description: '合计（本级 + 全部下级）' }) total: UnitCounts;
  @ApiProperty({ type: Boolean, description: '可在此声明零报送（本单位且没有网站）' }) canDeclareZeroReport: boolean;
}

export class ZeroReportStateDto implements ZeroReportState {
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: Boolean }) zeroReport: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) declaredAt: string | null;
}

export class ReminderSentDto implements ReminderSent {
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: Boolean, description: '是否发出邮件（单位没有联系人邮箱时只有站内通知）' }) mailed: boolean;
}

export class ReminderSkippedDto implements ReminderSkipped {
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ enum: REMINDER_SKIP_REASONS }) reason: ReminderSkipReason;
  @ApiProperty({ type: String, description: '原因（中文）' }) message: string;
}

export class RemindersResultDto implements RemindersResult {
  @ApiProperty({ type: () => [ReminderSentDto] }) sent: ReminderSent[];
  @ApiProperty({ type: () => [ReminderSkippedDto] }) skipped: ReminderSkipped[];
}
