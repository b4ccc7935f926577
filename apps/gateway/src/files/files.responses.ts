import { ApiProperty } from '@nestjs/swagger';
import type { FileView } from '@app/contracts';
import { PageOf } from '../openapi/page.dto';

export class FileViewDto implements FileView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, example: '秦皇岛市下级单位账号.xlsx' }) name: string;
  @ApiProperty({ type: String, example: '我的协作组' }) folder: string;
  @ApiProperty({ type: Number, description: '字节数' }) size: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export const FilePageDto = PageOf(FileViewDto, 'FilePage');
