import { Actor, HierarchySubjects, ImportSubjects, ImportSummary, ServiceName } from '@app/contracts';
import { stageForms } from '../../imports/support';
import { SiteForm } from '@app/forms';
import { BusClient, createServiceApp, FieldCipher, PresetTreeName, ServiceRuntime } from '@app/platform';
import {
  ApiClient,
  eventually,
  startTestInfrastructure,
  TestInfrastructure,
  TransportKind,
  withClient,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import { SERVICE_MODULES } from '../../../apps/standalone/src/services';
import { RunningSystem, startSystem, untilStarted } from '../../../apps/standalone/src/system';
import { SmtpSink, startSmtpSink } from './smtp-sink';

export interface Unit {
  id: string;
  code: string;
  client: ApiClient;
  actor: Actor;
}

/**
 * The whole system over real NATS, PostgreSQL, S3 and an SMTP server, with helpers that act
 * as real users: units log in with their initial passwords (as sealed by identity) and
 * change them; records are created through review's import subjects on the bus.
 */
export class ReviewSystem {
  private constructor(
    readonly infra: TestInfrastructure,
    readonly runtime: ServiceRuntime,
    readonly system: RunningSystem,
    readonly smtp: SmtpSink,
    readonly anonymous: ApiClient,
  ) {}

  /** The sample tree unless told otherwise (`presetTree: 'national'` for tests about the whole tree). */
  static async start(
    options: { presetTree?: PresetTreeName; transport?: TransportKind; config?: Record<string, string> } = {},
  ): Promise<ReviewSystem> {
    const infra = await startTestInfrastructure();
    const smtp = await startSmtpSink();
    // The system passwords and the sample tree are the test infrastructure's defaults.
    // The gateway trusts the test's loopback as a proxy, so X-Forwarded-For stands for a client.
    const config = infra.config({
      SMTP_URL: smtp.url,
      TRUST_PROXY: '127.0.0.1',
      ...(options.presetTree && { PRESET_TREE: options.presetTree }),
      ...options.config,
    });
    const runtime = { config, transport: infra.transport(options.transport ?? 'nats', config) };
    const system = await startSystem(runtime);
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    const anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    return new ReviewSystem(infra, runtime, system, smtp, anonymous);
  }

  async close(): Promise<void> {
    await this.system?.close();
    await this.smtp?.close();
    await this.infra?.teardown();
  }

  get bus(): BusClient {
    return this.system.gateway.get(BusClient);
  }

  sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
    return withClient(this.infra.database.url, async (client) => (await client.query(query, params)).rows as T[]);
  }

  /**
   * Resolves once every mail asked for so far has gone out: nothing for notification waits in
   * review's outbox, no code mail batch is unfinished and no mail is pending. From then on no
   * mail can be sent (or sent again) until a new one is asked for, so counting the SMTP
   * server's mails is final.
   */
  async mailSettled(): Promise<void> {
    await eventually(async () => {
      const [{ waiting }] = await this.sql<{ waiting: number }>(
        `SELECT (SELECT count(*) FROM review.outbox WHERE subject LIKE 'notification.mail.%' AND delivered_at IS NULL)
              + (SELECT count(*) FROM review.code_mail_batch WHERE done_at IS NULL)
              + (SELECT count(*) FROM notification.mail WHERE status <> 'SENT') AS waiting`,
      );
      return Number(waiting) === 0;
    }, 60_000);
  }

  async stop(service: ServiceName): Promise<void> {
    await this.system.services.get(service)!.close();
  }

  async startService(service: ServiceName): Promise<void> {
    this.system.services.set(
      service,
      await createServiceApp(SERVICE_MODULES[service](this.runtime), { service, ...this.runtime }),
    );
  }

  /** Logs a unit in: its initial password, the required first change, then its own password. */
  async unit(code: string): Promise<Unit> {
    const [account] = await eventually(async () => {
      const rows = await this.sql(
        'SELECT id, initial_password_enc, must_change_password, org_unit_id FROM identity.account WHERE username = $1',
        [code],
      );
      return rows.length ? rows : undefined;
    });
    const own = `Own-Pass-2026-${[...code].reverse().join('')}!`;
    if (account.must_change_password) {
      const initial = new FieldCipher(this.runtime.config.ENCRYPTION_KEY!).decrypt(
        account.initial_password_enc,
        `initial-password:${code}`,
      );
      const temporary = await this.anonymous.login(code, initial);
      const changed = await temporary.post('/auth/change-password', { currentPassword: initial, newPassword: own });
      if (changed.status !== 204)
        throw new Error(`password change for ${code} failed: ${JSON.stringify(changed.body)}`);
    }
    const client = await this.anonymous.login(code, own);
    const me = (await client.get('/me')).body;
    return {
      id: me.orgUnitId,
      code,
      client,
      actor: { accountId: account.id, username: code, orgUnitId: me.orgUnitId, roles: me.roles ?? ['ORG'] },
    };
  }

  /** A record's 网站标识码 and its 校验码, unsealed as review would (the record must be approved). */
  async siteCodes(recordId: string): Promise<{ siteCode: string; checkCode: string }> {
    const [row] = await this.sql('SELECT site_code, check_code_enc FROM review.record WHERE id = $1', [recordId]);
    if (!row?.site_code) throw new Error(`record ${recordId} has no 标识码 (not approved)`);
    const checkCode = new FieldCipher(this.runtime.config.ENCRYPTION_KEY!).decrypt(
      row.check_code_enc,
      `check-code:${recordId}`,
    );
    return { siteCode: row.site_code, checkCode };
  }

  /** Imports forms as the unit: staged as intake stages them, then review's commit subject (what intake does for a package). */
  async importForms(unit: Unit, forms: SiteForm[]): Promise<ImportSummary> {
    const chain = await this.bus.request(HierarchySubjects.lookup, { ancestorsOf: unit.id });
    const importer = {
      actor: unit.actor,
      orgUnitId: unit.id,
      code: unit.code,
      chain: chain.map((u) => u.id),
      regionName: chain
        .slice(1)
        .map((u) => u.name)
        .join(' '),
    };
    const jobId = randomUUID();
    const staged = await stageForms(this.runtime.config.DATABASE_URL!, jobId, forms);
    const report = await this.bus.request(
      ImportSubjects.commit,
      { jobId, importer, dryRun: false, staged, packageKey: null },
      { timeoutMs: 60_000 },
    );
    if (!report.applied) throw new Error(`import refused: ${JSON.stringify(report)}`);
    return report;
  }
}
