import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ServiceName } from '@app/contracts';

export class ServiceStateDto {
  @ApiProperty({ enum: ['up', 'degraded', 'unreachable'] }) status: 'up' | 'degraded' | 'unreachable';
  @ApiPropertyOptional({ type: String, description: '回答的那个实例' }) instanceId?: string;
  @ApiPropertyOptional({ type: Number }) uptimeSeconds?: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up', 'down'] },
    description: '该服务依赖的数据库、对象存储等的状态',
  })
  dependencies?: Record<string, 'up' | 'down'>;
}

/** One entry per bus service (`SERVICE_NAMES`). */
export class HealthServicesDto implements Record<ServiceName, ServiceStateDto> {
  @ApiProperty({ type: () => ServiceStateDto }) identity: ServiceStateDto;
  @ApiProperty({ type: () => ServiceStateDto }) hierarchy: ServiceStateDto;
  @ApiProperty({ type: () => ServiceStateDto }) intake: ServiceStateDto;
  @ApiProperty({ type: () => ServiceStateDto }) review: ServiceStateDto;
  @ApiProperty({ type: () => ServiceStateDto }) files: ServiceStateDto;
  @ApiProperty({ type: () => ServiceStateDto }) notification: ServiceStateDto;
  @ApiProperty({ type: () => ServiceStateDto }) assessment: ServiceStateDto;
}

export class StepProgressDto {
  @ApiProperty({ type: Number, description: '已完成' }) done: number;
  @ApiProperty({ type: Number, description: '共计' }) total: number;
}

/** The first start's progress (status `starting`). */
export class StartupProgressDto {
  @ApiProperty({ type: () => StepProgressDto, description: '预置单位：已写入 / 共计' }) units: StepProgressDto;
  @ApiProperty({ type: () => StepProgressDto, description: '单位账号：已创建 / 单位数' }) accounts: StepProgressDto;
  @ApiProperty({ type: () => StepProgressDto, description: '账号表（每个有下级的单位一份）：已生成 / 共计' })
  workbooks: StepProgressDto;
}

export class HealthDto {
  @ApiProperty({
    enum: ['up', 'starting', 'down'],
    description:
      '总线断开或任一服务不是 up 即为 down（HTTP 503）；首次启动尚未完成为 starting（HTTP 503，附 progress）',
  })
  status: 'up' | 'starting' | 'down';
  @ApiProperty({
    enum: ['up', 'down'],
    description: '网关到消息总线（NATS）的连接；断开重连期间为 down（status 随之为 down）',
  })
  bus: 'up' | 'down';
  @ApiProperty({ type: () => HealthServicesDto, description: '每个服务的状态' }) services: HealthServicesDto;
  @ApiPropertyOptional({ type: () => StartupProgressDto, description: '首次启动的进度（仅 status 为 starting 时）' })
  progress?: StartupProgressDto;
}
