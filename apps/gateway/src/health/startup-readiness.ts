import { Inject, Injectable } from '@nestjs/common';
import {
  CommonErrorCodes,
  HealthReply,
  healthSubject,
  ServiceName,
  StartupProgress,
  StartupReport,
  StepProgress,
} from '@app/contracts';
import { APP_CONFIG, BusClient, BusSettings, DomainError } from '@app/platform/core';

const HEALTH_TIMEOUT_MS = 3000;

/** The services that own the first start's work, in the order each requests the next one's (outbox). */
export const STARTUP_CHAIN = ['hierarchy', 'identity', 'files'] as const satisfies readonly ServiceName[];

export type ServiceState = { status: 'up' | 'degraded' | 'unreachable' } & Partial<
  Omit<HealthReply, 'service' | 'status'>
>;

export interface StartupState {
  /** The preset tree, every account and every workbook exist (once true, stays true in this process). */
  ready: boolean;
  /** Absent when a service of the chain did not answer, or once ready. */
  progress?: StartupProgress;
}

/**
 * Whether the first start's work is done: hierarchy's preset tree (and its account requests
 * answered), identity's accounts (bm0100 linked to its unit, workbook requests answered), files'
 * workbooks (none left to build). Asked in that order, so nothing requested by an earlier step
 * can slip past a later one. Once ready the answer is kept: units added later (新增节点) do not
 * make the system "starting" again.
 */
@Injectable()
export class StartupReadiness {
  private ready = false;

  constructor(
    private readonly bus: BusClient,
    @Inject(APP_CONFIG) private readonly config: BusSettings,
  ) {}

  /** One service's health answer, or `unreachable`. */
  async probe(
    service: ServiceName,
    timeoutMs = Math.min(this.config.BUS_TIMEOUT_MS, HEALTH_TIMEOUT_MS),
  ): Promise<ServiceState> {
    try {
      const { service: _name, ...reply } = await this.bus.request(healthSubject(service), {}, { timeoutMs });
      return reply;
    } catch {
      return { status: 'unreachable' };
    }
  }

  /** The chain's health answers, one after the other (see the class comment). */
  async probeChain(): Promise<Record<(typeof STARTUP_CHAIN)[number], ServiceState>> {
    const states: Partial<Record<(typeof STARTUP_CHAIN)[number], ServiceState>> = {};
    for (const service of STARTUP_CHAIN) states[service] = await this.probe(service);
    return states as Record<(typeof STARTUP_CHAIN)[number], ServiceState>;
  }

  /** Judges the chain's answers (from probeChain) and remembers a ready system. */
  judge(states: Record<(typeof STARTUP_CHAIN)[number], ServiceState>): StartupState {
    if (this.ready) return { ready: true };
    const reports = STARTUP_CHAIN.map((service) =>
      states[service].status === 'up' ? states[service].startup : undefined,
    );
    if (reports.some((report) => report === undefined)) return { ready: false };
    const [units, accounts, workbooks] = reports as [StartupReport, StartupReport, StartupReport];
    this.ready = reports.every((report) => report!.complete && report!.pending === 0);
    if (this.ready) return { ready: true };
    const count = (report: StartupReport, name: string) => report.counts[name] ?? 0;
    const step = (done: number, total: number): StepProgress => ({ done: Math.min(done, total), total });
    return {
      ready: false,
      progress: {
        units: step(count(units, 'presetUnitsSeeded'), count(units, 'presetUnits')),
        accounts: step(count(accounts, 'unitAccounts'), Math.max(count(units, 'units'), count(units, 'presetUnits'))),
        workbooks: step(count(workbooks, 'workbooks'), count(units, 'parentUnits')),
      },
    };
  }

  async state(): Promise<StartupState> {
    if (this.ready) return { ready: true };
    return this.judge(await this.probeChain());
  }

  /** For login: refuses while the first start is still creating the tree, accounts and workbooks. */
  async assertReady(): Promise<void> {
    if (this.ready) return;
    const state = await this.state();
    if (state.ready) return;
    if (!state.progress) throw new DomainError(CommonErrorCodes.SERVICE_UNAVAILABLE, '服务暂时不可用，请稍后重试');
    throw new DomainError(
      CommonErrorCodes.SERVICE_STARTING,
      '系统正在初始化（创建预置单位、账号和账号表），请稍后再登录',
      state.progress,
    );
  }
}
