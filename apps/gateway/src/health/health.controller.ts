import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthReply, healthSubject, SERVICE_NAMES, ServiceName } from '@app/contracts';
import { APP_CONFIG, BusClient, BusSettings } from '@app/platform';
import type { Response } from 'express';
import { ApiErrors } from '../openapi/api-errors';
import { HealthDto } from './health.responses';
import { Access } from '../auth/access';

const HEALTH_TIMEOUT_MS = 3000;

type ServiceState = { status: 'up' | 'degraded' | 'unreachable' } & Partial<Omit<HealthReply, 'service' | 'status'>>;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly bus: BusClient,
    @Inject(APP_CONFIG) private readonly config: BusSettings,
  ) {}

  @Access('public')
  @Get()
  @ApiOperation({ summary: '各服务运行状态（任一服务不可达时返回 503）' })
  @ApiOkResponse({ type: HealthDto, description: '全部服务正常' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: '有服务不可达或降级（正文同上，status 为 down）' })
  @ApiErrors('health.check')
  async check(
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ status: 'up' | 'down'; services: Record<ServiceName, ServiceState> }> {
    const timeoutMs = Math.min(this.config.BUS_TIMEOUT_MS, HEALTH_TIMEOUT_MS);
    const entries = await Promise.all(
      SERVICE_NAMES.map(async (service): Promise<[ServiceName, ServiceState]> => {
        try {
          const { service: _name, ...reply } = await this.bus.request(healthSubject(service), {}, { timeoutMs });
          return [service, reply];
        } catch {
          return [service, { status: 'unreachable' }];
        }
      }),
    );
    const services = Object.fromEntries(entries) as Record<ServiceName, ServiceState>;
    const down = entries.some(([, state]) => state.status !== 'up');
    res.status(down ? 503 : 200);
    return { status: down ? 'down' : 'up', services };
  }
}
