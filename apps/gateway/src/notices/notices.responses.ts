import { ApiProperty } from '@nestjs/swagger';
import type { NoticeView } from '@app/contracts';

export class NoticeViewDto implements NoticeView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, description: '消息类别，如 record.approved' }) kind: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '消息所涉及的报送记录（可打开其详情）' })
  recordId: string | null;
  @ApiProperty({ type: String }) title: string;
  @ApiProperty({ type: String }) body: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: '未读时为 null' })
  readAt: string | null;
}

export class NoticePageDto {
  @ApiProperty({ type: [NoticeViewDto] }) items: NoticeView[];
  @ApiProperty({ type: Number }) total: number;
  @ApiProperty({ type: Number, description: '本单位的未读消息数' }) unread: number;
}
