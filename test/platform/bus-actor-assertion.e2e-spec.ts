import { INestMicroservice } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { HierarchySubjects, NotificationSubjects, SERVICE_NAMES } from '@app/contracts';
import {
  ACTOR_ASSERTION_HEADER,
  ActorAssertionSigner,
  AppConfig,
  createServiceApp,
  generateActorKeyPair,
  NatsTransport,
} from '@app/platform';
import {
  ApiClient,
  eventually,
  startTestInfrastructure,
  TestInfrastructure,
  testNatsUrl,
  firstLogin,
  withClient,
  workbookOf,
} from '@app/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect, headers as natsHeaders, JSONCodec, NatsConnection } from 'nats';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app';
import { freePort } from '../../apps/standalone/src/free-port';
import { SERVICE_MODULES } from '../../apps/standalone/src/services';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';

const ROOT = resolve(__dirname, '../..');
const ROOT_PASSWORD = 'Root-Pass-2026';
const codec = JSONCodec();

interface Actor {
  accountId: string;
  username: string;
  orgUnitId: string | null;
  roles: string[];
}

/**
 * A request published straight onto NATS, as anybody who can reach the broker could: the wire
 * format of Nest's NATS transport ({pattern, data, id}), headers of the sender's choosing.
 * Resolves with the service's answer, `{response}` or `{err}`.
 */
async function publishRaw(
  nc: NatsConnection,
  subject: string,
  data: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<{ response?: unknown; err?: { code: string; message: string } }> {
  const h = natsHeaders();
  for (const [key, value] of Object.entries(extraHeaders)) h.set(key, value);
  const reply = await nc.request(subject, codec.encode({ pattern: subject.replace(/^[^.]+\./, ''), data, id: '1' }), {
    headers: h,
    timeout: 10_000,
  });
  return codec.decode(reply.data) as { response?: unknown; err?: { code: string; message: string } };
}

/** Issue 12: services refuse an actor that the gateway's signed assertion does not vouch for. */
describe('a forged actor published on the bus', () => {
  let infra: TestInfrastructure;
  let config: AppConfig;
  let system: RunningSystem;
  let root: ApiClient;
  let rootActor: Actor;
  let province: ApiClient;
  let provinceActor: Actor;
  let nc: NatsConnection;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    config = infra.config({ ROOT_PASSWORD });
    system = await startSystem({ config, transport: infra.transport('nats', config) });
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    const anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    // Right after the first start the root account is linked to its unit within seconds.
    root = await eventually(async () => {
      const client = await anonymous.login('bm0100', ROOT_PASSWORD);
      return (await client.get('/me')).body.orgUnitId ? client : undefined;
    });
    rootActor = actorOf((await root.get('/me')).body);
    // 河北省 with the initial password from root's workbook, changed as the first login requires.
    const initial = (await workbookOf(root, '130000')).rows.find((row) => row.code === '130000')!.password;
    province = await firstLogin(anonymous, '130000', initial);
    provinceActor = actorOf((await province.get('/me')).body);
    nc = await connect({ servers: testNatsUrl() });
  });

  afterAll(async () => {
    await nc?.close();
    await system?.close();
    await infra?.teardown();
  });

  const actorOf = (me: { id: string; username: string; orgUnitId: string | null; roles: string[] }): Actor => ({
    accountId: me.id,
    username: me.username,
    orgUnitId: me.orgUnitId,
    roles: me.roles,
  });
  const contactOf = async () => (await root.get(`/org-units/${rootActor.orgUnitId}`)).body.contact;
  /** Every audited change in hierarchy leaves an outbox row (kept once delivered). */
  const hierarchyOutboxRows = () =>
    withClient(infra.database.url, async (client) =>
      Number((await client.query('SELECT count(*) AS n FROM hierarchy.outbox')).rows[0].n),
    );
  const contact = (name: string) => ({
    name,
    officePhone: '0311-12345678',
    mobile: '13800138000',
    email: 'office@hebei.gov.cn',
    department: '办公厅',
  });
  const onBus = (name: string) => `${infra.subjectPrefix}.${name}`;
  const assertionHeader = (assertion?: string): Record<string, string> =>
    assertion === undefined ? {} : { [ACTOR_ASSERTION_HEADER]: assertion };
  const updateContact = (actor: Actor, name: string, assertion?: string) =>
    publishRaw(
      nc,
      onBus(HierarchySubjects.updateContact.name),
      { actor, id: rootActor.orgUnitId, ...contact(name) },
      assertionHeader(assertion),
    );

  it('refuses a forged root reading another unit’s contact details', async () => {
    const forgedRoot = { ...rootActor, roles: ['ROOT'] };
    const answer = await publishRaw(nc, onBus(HierarchySubjects.get.name), {
      actor: forgedRoot,
      id: provinceActor.orgUnitId,
    });
    expect(answer).toMatchObject({ err: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/身份断言/) } });
    expect(answer.response).toBeUndefined();
  });

  it('refuses a root actor with no assertion, a forged, expired or tampered one, or another user’s; changes nothing', async () => {
    const before = await contactOf();
    const outboxBefore = await hierarchyOutboxRows();
    const realSigner = new ActorAssertionSigner(config.BUS_ACTOR_PRIVATE_KEY);
    // What a real 河北省 request carries: authentic and current, but not root's.
    const otherAssertion = realSigner.sign(provinceActor);
    const [version, claims, signature] = otherAssertion.split('.');
    const rewritten = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), actor: rootActor }),
    ).toString('base64url');

    const attempts: Array<[string, Promise<{ err?: { code: string; message: string } }>]> = [
      ['no assertion', updateContact(rootActor, '无断言')],
      ['garbage', updateContact(rootActor, '乱码', 'not-an-assertion')],
      [
        'signed with another key',
        updateContact(rootActor, '他钥', new ActorAssertionSigner(generateActorKeyPair().privateKey).sign(rootActor)),
      ],
      ['expired', updateContact(rootActor, '过期', realSigner.sign(rootActor, Date.now() - 60_000))],
      ['claims rewritten', updateContact(rootActor, '篡改', `${version}.${rewritten}.${signature}`)],
      ['a province’s assertion', updateContact(rootActor, '冒名', otherAssertion)],
    ];
    const answers = await Promise.all(attempts.map(async ([label, answer]) => [label, (await answer).err?.code]));
    expect(answers).toEqual([
      ['no assertion', 'UNAUTHENTICATED'],
      ['garbage', 'UNAUTHENTICATED'],
      ['signed with another key', 'UNAUTHENTICATED'],
      ['expired', 'UNAUTHENTICATED'],
      ['claims rewritten', 'UNAUTHENTICATED'],
      ['a province’s assertion', 'FORBIDDEN'],
    ]);
    expect(await contactOf()).toEqual(before);
    expect(await hierarchyOutboxRows()).toBe(outboxBefore);
  });

  it('does the same change asked through the gateway, which signs the caller', async () => {
    const saved = await root.put(`/org-units/${rootActor.orgUnitId}/contact`, contact('网关'));
    expect(saved.status).toBe(200);
    expect((await contactOf()).name).toBe('网关');
    expect(await hierarchyOutboxRows()).toBeGreaterThan(0);
  });
});

/**
 * deploy/nats/nats-server.conf: every app as its own NATS user. The system works through it, and
 * a service's user cannot publish the request subjects of another service (only the gateway may).
 */
describe('NATS with per-app users (deploy/nats/nats-server.conf)', () => {
  const NATS_SERVER = '/usr/sbin/nats-server';
  const run = existsSync(NATS_SERVER) ? it : it.skip;
  const APPS = ['gateway', ...SERVICE_NAMES] as const;
  const password = (app: string) => `pw-${app}-${process.pid}`;
  let nats: ChildProcess | undefined;
  let url: string;
  let infra: TestInfrastructure;
  const services: INestMicroservice[] = [];
  let gateway: NestExpressApplication | undefined;

  beforeAll(async () => {
    if (!existsSync(NATS_SERVER)) return;
    const port = await freePort();
    url = `nats://127.0.0.1:${port}`;
    nats = spawn(
      NATS_SERVER,
      ['-c', join(ROOT, 'deploy/nats/nats-server.conf'), '-a', '127.0.0.1', '-p', String(port)],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ...Object.fromEntries(APPS.map((app) => [`NATS_${app.toUpperCase()}_PASSWORD`, password(app)])),
        },
        stdio: 'ignore',
      },
    );
    await eventually(async () => {
      const probe = await connect({ servers: url, user: 'gateway', pass: password('gateway') }).catch(() => undefined);
      await probe?.close();
      return probe !== undefined;
    }, 20_000);
    infra = await startTestInfrastructure();
    const config = infra.config({ ROOT_PASSWORD });
    // No subject prefix: the configuration names the subjects as a deployment has them.
    const transportOf = (app: string) => new NatsTransport([url], undefined, { user: app, pass: password(app) });
    for (const service of SERVICE_NAMES) {
      const runtime = { config, transport: transportOf(service) };
      services.push(await createServiceApp(SERVICE_MODULES[service](runtime), { service, ...runtime }));
    }
    gateway = await createGatewayApp({ config, transport: transportOf('gateway') });
    await gateway.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(services.map((app) => app.close()));
    await infra?.teardown();
    if (nats && nats.exitCode === null) {
      const exited = new Promise((r) => nats!.once('exit', r));
      nats.kill('SIGTERM');
      await exited;
    }
  });

  run('serves the system, each app as its own user', async () => {
    const anonymous = new ApiClient((await gateway!.getUrl()).replace('[::1]', '127.0.0.1'));
    // The first start (tree, accounts, workbooks: their messages cross NATS between the app
    // users too) completes: health says up once all of it exists.
    const health = await eventually(async () => {
      const res = await anonymous.get('/health');
      return res.status === 503 && res.body?.status === 'starting' ? undefined : res;
    }, 60_000);
    expect([health.status, health.body]).toEqual([200, expect.objectContaining({ status: 'up' })]);
    const root = await anonymous.login('bm0100', ROOT_PASSWORD);
    const me = (await root.get('/me')).body;
    const saved = await root.put(`/org-units/${me.orgUnitId}/contact`, {
      name: '值班室',
      officePhone: '010-12345678',
      mobile: '13800138000',
      email: 'duty@example.gov.cn',
      department: '办公厅',
    });
    expect(saved.status).toBe(200);
    // review → hierarchy (统计: the unit, its children, its ancestors, for the same user).
    const stats = await root.get('/stats/units');
    expect(stats.status).toBe(200);
    expect(stats.body.unit.orgUnitId).toBe(me.orgUnitId);
    expect(stats.body.children.length).toBeGreaterThan(0);
    // hierarchy → identity (audit, through its outbox) is allowed too.
    await eventually(
      () =>
        withClient(infra.database.url, async (client) => {
          const { rows } = await client.query(
            "SELECT count(*) AS n FROM identity.audit_log WHERE action = 'org-unit.contact.update'",
          );
          return Number(rows[0].n) === 1;
        }),
      20_000,
    );
  });

  run('refuses a service publishing another service’s request subject, and reading another’s subjects', async () => {
    const subject = HierarchySubjects.updateContact.name;
    const listener = await connect({ servers: url, user: 'hierarchy', pass: password('hierarchy') });
    const received: string[] = [];
    // The running system's own traffic passes here too; only the probes carry `from`.
    const subscription = listener.subscribe('hierarchy.>', {
      callback: (_err, msg) => {
        const from = (codec.decode(msg.data) as { from?: string }).from;
        if (from) received.push(from);
      },
    });
    await listener.flush();

    const errors: string[] = [];
    const review = await connect({ servers: url, user: 'review', pass: password('review') });
    void (async () => {
      for await (const status of review.status()) {
        const context = (status as { permissionContext?: { operation: string; subject: string } }).permissionContext;
        if (context) errors.push(`${context.operation} ${context.subject}`);
      }
    })();
    review.publish(subject, codec.encode({ from: 'review' }));
    review.subscribe('identity.>');
    // Its own requests pass: the code mails of an approval, handed to notification in chunks.
    const notification = await connect({ servers: url, user: 'notification', pass: password('notification') });
    const mails: string[] = [];
    notification.subscribe(NotificationSubjects.sendMails.name, {
      callback: (_err, msg) => {
        const from = (codec.decode(msg.data) as { from?: string }).from;
        if (from) mails.push(from);
      },
    });
    await notification.flush();
    review.publish(NotificationSubjects.sendMails.name, codec.encode({ from: 'review' }));
    await review.flush();
    const gatewayUser = await connect({ servers: url, user: 'gateway', pass: password('gateway') });
    gatewayUser.publish(subject, codec.encode({ from: 'gateway' }));
    await gatewayUser.flush();

    await eventually(async () => received.length > 0 && errors.length >= 2, 10_000);
    expect(received).toEqual(['gateway']);
    await eventually(async () => mails.length > 0, 10_000);
    expect(mails).toEqual(['review']);
    expect(errors.sort()).toEqual(['publish hierarchy.orgUnit.updateContact', 'subscription identity.>']);

    subscription.unsubscribe();
    await Promise.all([listener.close(), review.close(), gatewayUser.close(), notification.close()]);
  });
});
