import { ApiProperty } from '@nestjs/swagger';
import { AccountView, ALL_ROLES, AuditEntry, Role } from '@app/contracts';
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

export class AuditEntryViewDto implements AuditEntry {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ type: String, description: '记录此事的服务', example: 'review' }) service: string;
  @ApiProperty({ type: String, example: 'record.approve' }) action: string;
  @ApiProperty({ enum: ['success', 'denied', 'failure'] }) outcome: 'success' | 'denied' | 'failure';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorAccountId: string | null;
  @ApiProperty({ type: String, nullable: true }) actorUsername: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorOrgUnitId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'record' }) targetType: string | null;
  @ApiProperty({ type: String, nullable: true }) targetId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) details: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;
}

export const AuditPageDto = PageOf(AuditEntryViewDto, 'AuditPage');

export class ResetDoneDto {
  @ApiProperty({ enum: [true], description: '已重置为初始密码，下次登录须修改' }) reset: true;
}

export class UnlockedDto {
  @ApiProperty({ enum: [true] }) unlocked: true;
}
