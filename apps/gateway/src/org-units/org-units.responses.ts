import { ApiProperty } from '@nestjs/swagger';
import type { OrgUnitContact, OrgUnitDetail, OrgUnitKind, OrgUnitView } from '@app/contracts';
import { PageOf } from '../openapi/page.dto';

const KINDS: OrgUnitKind[] = ['root', 'province', 'corps', 'department', 'city', 'county', 'vertical'];

export class OrgUnitContactDto implements OrgUnitContact {
  @ApiProperty({ type: String, description: '联系人姓名' }) name: string;
  @ApiProperty({ type: String, description: '办公电话' }) officePhone: string;
  @ApiProperty({ type: String, description: '手机' }) mobile: string;
  @ApiProperty({ type: String, description: '电子邮箱' }) email: string;
  @ApiProperty({ type: String, description: '所在处室（部门）' }) department: string;
}

export class OrgUnitViewDto implements OrgUnitView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, description: '单位代码（即账号），如 130300', example: '130300' }) code: string;
  @ApiProperty({ type: String, example: '秦皇岛市' }) name: string;
  @ApiProperty({ type: Number, description: '层级：0 国务院办公厅，1 省级/国务院部门，2 地市，3 区县' }) level: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
  @ApiProperty({ enum: KINDS, description: '单位类别' }) kind: OrgUnitKind;
  @ApiProperty({ type: Number, description: '下级单位数' }) childCount: number;
}

export class OrgUnitDetailDto extends OrgUnitViewDto implements OrgUnitDetail {
  @ApiProperty({ type: String, nullable: true }) parentName: string | null;
  @ApiProperty({ type: () => OrgUnitContactDto, nullable: true, description: '联系人信息（未维护时为 null）' })
  contact: OrgUnitContact | null;
}

export const OrgUnitPageDto = PageOf(OrgUnitViewDto, 'OrgUnitPage');
