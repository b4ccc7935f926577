import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  EXPORT_KINDS,
  EXPORT_STATUSES,
  ExportJobView,
  ExportKind,
  ExportStatus,
  LIFECYCLE_STATES,
  RECORD_SCOPES,
  REQUEST_KINDS,
  RECORD_STATUSES,
} from '@app/contracts';

export class ExportFiltersDto {
  @ApiPropertyOptional({ enum: RECORD_STATUSES }) status?: string;
  @ApiPropertyOptional() q?: string;
  @ApiPropertyOptional({ enum: LIFECYCLE_STATES }) lifecycle?: string;
  @ApiPropertyOptional({ enum: [...REQUEST_KINDS, 'NONE'] }) requestKind?: string;
  @ApiPropertyOptional({ format: 'uuid', description: '地区：该下级单位及其下级' }) orgUnitId?: string;
  @ApiProperty({ enum: RECORD_SCOPES }) scope: string;
}

export class ExportJobDto implements Omit<ExportJobView, 'filters'> {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: EXPORT_KINDS }) kind: ExportKind;
  @ApiProperty({ enum: EXPORT_STATUSES }) status: ExportStatus;
  @ApiProperty({ example: '正在导出' }) statusLabel: string;
  @ApiProperty({ type: ExportFiltersDto }) filters: ExportFiltersDto;
  @ApiProperty({ type: Number, nullable: true, description: '导出的记录条数（完成后）' }) rows: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: '文件中心里的文件（完成后）' })
  fileId: string | null;
  @ApiProperty({ type: String, nullable: true, example: '报送记录-20261202-0840.xlsx' }) fileName: string | null;
  @ApiProperty({ example: '导出', description: '文件中心的文件夹' }) folder: string;
  @ApiProperty({ type: String, nullable: true, description: '失败原因' }) error: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
}
