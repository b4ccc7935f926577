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
}

export class HealthDto {
  @ApiProperty({ enum: ['up', 'down'], description: '任一服务不是 up 即为 down（HTTP 503）' }) status: 'up' | 'down';
  @ApiProperty({ type: () => HealthServicesDto, description: '每个服务的状态' }) services: HealthServicesDto;
}
