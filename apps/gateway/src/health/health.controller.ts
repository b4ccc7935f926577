import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SERVICE_NAMES, ServiceName, StartupProgress } from '@app/contracts';
import type { Response } from 'express';
import { BUS_TRANSPORT, BusTransport } from '@app/platform/core';
import { ApiErrors } from '../openapi/api-errors';
import { HealthDto } from './health.responses';
import { Access } from '../auth/access';
import { ServiceState, STARTUP_CHAIN, StartupReadiness } from './startup-readiness';

type HealthBody = {
  status: 'up' | 'starting' | 'down';
  /** This gateway's connection to the bus (NATS): `down` while it reconnects. */
  bus: 'up' | 'down';
  services: Record<ServiceName, ServiceState>;
  progress?: StartupProgress;
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: StartupReadiness,
    @Inject(BUS_TRANSPORT) private readonly transport: BusTransport,
  ) {}

  @Access('public')
  @Get()
  @ApiOperation({
    summary: '各服务运行状态（总线或任一服务不可达时，或首次启动尚未完成时返回 503）',
    description:
      '供人查看。bus 为网关到消息总线（NATS）的连接，断开重连期间为 down。探针请用各进程的健康检查端口（/livez、/readyz）。首次启动时，在预置单位树、全部账号和全部账号表生成之前，返回 503、status 为 starting，并附 progress（单位、账号、账号表各完成多少、共多少）。',
  })
  @ApiOkResponse({ type: HealthDto, description: '全部服务正常，首次启动已完成' })
  @ApiServiceUnavailableResponse({
    type: HealthDto,
    description: '总线或有服务不可达或降级（status 为 down），或首次启动尚未完成（status 为 starting，附 progress）',
  })
  @ApiErrors('health.check')
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthBody> {
    const others = SERVICE_NAMES.filter((service) => !(STARTUP_CHAIN as readonly string[]).includes(service));
    const [chain, rest] = await Promise.all([
      this.readiness.probeChain(),
      Promise.all(others.map(async (service) => [service, await this.readiness.probe(service)] as const)),
    ]);
    const entries: Array<readonly [ServiceName, ServiceState]> = [...Object.entries(chain), ...rest] as Array<
      readonly [ServiceName, ServiceState]
    >;
    const services = Object.fromEntries(
      SERVICE_NAMES.map((name) => {
        const { startup: _startup, ...state } = entries.find(([service]) => service === name)![1];
        return [name, state];
      }),
    ) as Record<ServiceName, ServiceState>;
    const bus = this.transport.busState().reachable ? 'up' : 'down';
    if (bus === 'down' || entries.some(([, state]) => state.status !== 'up')) {
      res.status(503);
      return { status: 'down', bus, services };
    }
    const startup = this.readiness.judge(chain);
    if (!startup.ready) {
      res.status(503);
      return { status: 'starting', bus, services, ...(startup.progress && { progress: startup.progress }) };
    }
    res.status(200);
    return { status: 'up', bus, services };
  }
}
