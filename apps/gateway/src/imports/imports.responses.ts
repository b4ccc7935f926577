import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  ImportFieldError,
  ImportFormReport,
  ImportJobStatus,
  ImportJobView,
  ImportOutcome,
  ImportReport,
  ImportSummary,
} from '@app/contracts';
import { PageOf } from '../openapi/page.dto';

export class ImportJobCreatedDto {
  @ApiProperty({ type: String, format: 'uuid', description: '导入任务编号，用 GET /imports/{jobId} 查看进度和报告' })
  jobId: string;
}

export class ImportFieldErrorDto implements ImportFieldError {
  @ApiProperty({ type: String, description: '字段路径，如 principal.mobile、columns[2].url' }) field: string;
  @ApiPropertyOptional({
    type: String,
    description:
      '字段的中文名，如 负责人手机；Excel 模板中的问题为“工作表 第几行 列标题”，如 网站基本信息 第4行 负责人手机',
  })
  label?: string;
  @ApiProperty({ type: String }) message: string;
  @ApiPropertyOptional({ type: String, description: 'Excel 模板：工作表名称，如 网站基本信息' }) sheet?: string;
  @ApiPropertyOptional({ type: Number, description: 'Excel 模板：行号（与 Excel 中显示的一致）' }) row?: number;
  @ApiPropertyOptional({ type: String, description: 'Excel 模板：列字母，如 Q；整行的问题为空' }) column?: string;
  @ApiPropertyOptional({ type: String, description: 'Excel 模板：列标题，如 负责人手机；整行的问题为空' })
  header?: string;
}

export class ImportFormReportDto implements ImportFormReport {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) formId: string | null;
  @ApiProperty({ type: String }) siteName: string;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged', 'rejected'] }) outcome: ImportOutcome;
  @ApiProperty({ type: [ImportFieldErrorDto] }) errors: ImportFieldError[];
  @ApiProperty({ type: [String], description: '提醒（不影响导入），如首页网址与本单位另一张表相同' })
  warnings: string[];
}

export class ImportSummaryDto {
  @ApiProperty({ type: Boolean, description: '是否已写入；预检、或有任何一张表被拒绝时为 false（全部或全不）' })
  applied: boolean;
  @ApiProperty({ type: Boolean }) dryRun: boolean;
  @ApiProperty({ type: Number }) created: number;
  @ApiProperty({ type: Number }) updated: number;
  @ApiProperty({ type: Number }) unchanged: number;
  @ApiProperty({ type: Number }) rejected: number;
}

export class ImportReportDto extends ImportSummaryDto implements ImportReport {
  @ApiProperty({
    type: [ImportFormReportDto],
    description:
      '每张表的结果和问题（按表、按字段）的第一页：先列被拒绝的表，再列有提醒的表，其余按上报文件中的顺序；其余各页用 GET /imports/{jobId}/report 读取',
  })
  forms: ImportFormReport[];
  @ApiProperty({ type: Number, description: '报告中的表数（含未在 forms 中列出的）' }) formsTotal: number;
}

export class ImportProgressDto {
  @ApiProperty({ type: Number }) done: number;
  @ApiProperty({ type: Number }) total: number;
}

export class ImportJobErrorDto {
  @ApiProperty({ type: String, description: '上报文件被拒绝的错误码（见 docs/PACKAGE-FORMAT.md），或 IMPORT_FAILED' })
  code: string;
  @ApiProperty({ type: String }) message: string;
  @ApiPropertyOptional({ description: '供程序读取的细节，如被修改的文件名' }) details?: unknown;
}

export class ImportRetryDto {
  @ApiProperty({ type: Number, description: '已尝试次数' }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', description: '下次自动重试的时间' }) nextAttemptAt: string;
}

export class ImportJobViewDto implements ImportJobView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] }) status: ImportJobStatus;
  @ApiProperty({ type: Boolean, description: '预检（不改变任何数据）' }) dryRun: boolean;
  @ApiProperty({ type: String, description: '上传的文件名' }) fileName: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: () => ImportProgressDto }) progress: { done: number; total: number };
  @ApiProperty({ type: () => ImportReportDto, nullable: true, description: '完成后的报告；列表中为 null' })
  report: ImportReport | null;
  @ApiPropertyOptional({ type: () => ImportJobErrorDto, description: '任务失败（FAILED）的原因' })
  error?: { code: string; message: string; details?: unknown };
  @ApiPropertyOptional({ type: () => ImportSummaryDto, description: '报告中的计数（不含逐表结果）' })
  summary?: ImportSummary;
  @ApiPropertyOptional({ type: () => ImportRetryDto, description: '等待自动重试时才有' })
  retry?: { attempts: number; nextAttemptAt: string };
}

export const ImportJobPageDto = PageOf(ImportJobViewDto, 'ImportJobPage');
export const ImportFormReportPageDto = PageOf(ImportFormReportDto, 'ImportFormReportPage');
