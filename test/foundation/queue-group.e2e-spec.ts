import { eventSubject, healthSubject } from '@app/contracts';
import { BusClient, createHealthController, createServiceApp, NatsTransport, PlatformModule } from '@app/platform';
import { eventually, startTestInfrastructure, TestInfrastructure } from '@app/testing';
import { INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SERVICE_MODULES } from '../../apps/standalone/src/services';

/** Two intake replicas in one NATS queue group share a burst; each request is handled once. */
describe('intake replicas in a NATS queue group', () => {
  let infra: TestInfrastructure;
  const replicas: INestMicroservice[] = [];
  let caller: INestApplicationContext;
  // Spied before the replicas boot (Nest binds the handler when it subscribes), keeping
  // the method's metadata so Nest still finds the @MessagePattern on the spy.
  const check = spyKeepingMetadata(createHealthController('intake').prototype, 'check');

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    const config = infra.config();
    for (let i = 0; i < 2; i++) {
      const runtime = { config, transport: infra.transport('nats', config) };
      replicas.push(await createServiceApp(SERVICE_MODULES.intake(runtime), { service: 'intake', ...runtime }));
    }
    const transport = infra.transport('nats', config) as NatsTransport;
    caller = await NestFactory.createApplicationContext(PlatformModule.forApp({ config, transport }), {
      logger: false,
    });
  });

  afterAll(async () => {
    await caller?.close();
    await Promise.all(replicas.map((app) => app.close()));
    await infra?.teardown();
    check.mockRestore();
  });

  it('answers a burst of 200 requests, each exactly once, and both replicas take part', async () => {
    check.mockClear();
    const bus = caller.get(BusClient);
    const replies = await Promise.all(Array.from({ length: 200 }, () => bus.request(healthSubject('intake'), {})));

    expect(replies).toHaveLength(200);
    expect(check).toHaveBeenCalledTimes(200);
    const handledBy = new Map<string, number>();
    for (const context of check.mock.contexts) {
      const id = (context as { instanceId: string }).instanceId;
      handledBy.set(id, (handledBy.get(id) ?? 0) + 1);
    }
    expect(handledBy.size).toBe(2);
    for (const count of handledBy.values()) expect(count).toBeGreaterThan(0);
    // Every reply came from the replica that handled it.
    const answeredBy = new Set(replies.map((reply) => reply.instanceId));
    expect(answeredBy).toEqual(new Set(handledBy.keys()));
  });

  it('delivers a fan-out event to every subscriber, unlike a queue group (token revocations reach each gateway)', async () => {
    const config = infra.config();
    const event = eventSubject<{ n: number }>('identity.tokens.revoked');
    const listeners = await Promise.all(
      [0, 1].map(() =>
        NestFactory.createApplicationContext(
          PlatformModule.forApp({ config, transport: infra.transport('nats', config) }),
          { logger: false },
        ),
      ),
    );
    try {
      const heard: Array<Array<{ n: number }>> = [[], []];
      await Promise.all(listeners.map((app, i) => app.get(BusClient).subscribe(event, (p) => heard[i].push(p))));
      await caller.get(BusClient).publish(event, { n: 1 });
      await caller.get(BusClient).publish(event, { n: 2 });
      await eventually(async () => heard.every((got) => got.length === 2), 10_000, 20);
      expect(heard).toEqual([
        [{ n: 1 }, { n: 2 }],
        [{ n: 1 }, { n: 2 }],
      ]);
    } finally {
      await Promise.all(listeners.map((app) => app.close()));
    }
  });
});

function spyKeepingMetadata<T extends object, K extends keyof T & string>(target: T, method: K) {
  const original = target[method] as object;
  const spy = jest.spyOn(target, method as never) as unknown as jest.SpyInstance;
  for (const key of Reflect.getMetadataKeys(original))
    Reflect.defineMetadata(key, Reflect.getMetadata(key, original), target[method] as object);
  return spy;
}
