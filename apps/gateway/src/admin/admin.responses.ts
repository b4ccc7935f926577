import { ApiProperty } from '@nestjs/swagger';
import { AccountView, ALL_ROLES, AuditEntry, Role } from '@app/contracts';
import { PageOf } from '../openapi/page.dto';

export class AccountViewDto implements AccountView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String }) username: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orgUnitId: string | null;
  @ApiProperty({ enum: ALL_ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ type: Boolean, description: '仍须修改初始（或重置后的）密码' }) mustChangePassword: boolean;
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
