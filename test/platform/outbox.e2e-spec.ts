import { Controller, INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@app/contracts';
import {
  createServiceApp,
  CreateOutbox1764190000000,
  DatabaseModule,
  InProcessBroker,
  Outbox,
  OutboxModule,
  OutboxRelay,
  PlatformModule,
} from '@app/platform';
import { startTestInfrastructure, TestInfrastructure, withClient } from '@app/testing';
import { DataSource } from 'typeorm';

const ping = subject<{ n: number }, { ok: true }>('notification.test.ping');
const received: number[] = [];

@Controller()
class PingController {
  @MessagePattern(ping.name)
  handle(@Payload() payload: { n: number }) {
    received.push(payload.n);
    return { ok: true };
  }
}

class Emitter {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}
}

/** A message recorded with its change is delivered once the receiver is back, and only once. */
describe('transactional outbox', () => {
  let infra: TestInfrastructure;
  let emitter: INestApplicationContext;
  let receiver: INestMicroservice | undefined;
  const broker = new InProcessBroker();

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    const config = infra.config();
    const transport = infra.transport('in-process', config, broker);
    emitter = await NestFactory.createApplicationContext(
      {
        module: class EmitterModule {},
        imports: [
          PlatformModule.forApp({ config, transport }),
          DatabaseModule.forService({
            service: 'review',
            schema: 'emitter',
            config,
            entities: [],
            migrations: [CreateOutbox1764190000000],
          }),
          OutboxModule.register({ pollMs: 50, maxBackoffMs: 200, deliveryTimeoutMs: 1000 }),
        ],
        providers: [Emitter],
      },
      { logger: false },
    );
    await emitter.init();
  });

  afterAll(async () => {
    await receiver?.close();
    await emitter?.close();
    await infra?.teardown();
  });

  const rows = () =>
    withClient(infra.database.url, (client) =>
      client.query('SELECT attempts, delivered_at, payload FROM emitter.outbox ORDER BY id'),
    );

  it('keeps nothing from a rolled-back change', async () => {
    const { dataSource } = emitter.get(Emitter);
    const outbox = emitter.get(Outbox);
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.enqueue(manager, ping, { n: 0 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await rows()).rowCount).toBe(0);
  });

  it('retries while the receiver is down and delivers each message exactly once when it is back', async () => {
    const { dataSource } = emitter.get(Emitter);
    const outbox = emitter.get(Outbox);
    await dataSource.transaction(async (manager) => {
      for (const n of [1, 2, 3]) await outbox.enqueue(manager, ping, { n });
    });
    await waitFor(async () => (await rows()).rows.every((row) => row.attempts >= 2));
    expect((await rows()).rows.every((row) => row.delivered_at === null)).toBe(true);
    expect((await rows()).rows.map((row) => row.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

    const config = infra.config();
    const transport = infra.transport('in-process', config, broker);
    receiver = await createServiceApp(
      {
        module: class ReceiverModule {},
        imports: [PlatformModule.forApp({ service: 'notification', config, transport })],
        controllers: [PingController],
      },
      { service: 'notification', config, transport },
    );
    await waitFor(async () => (await rows()).rows.every((row) => row.delivered_at !== null));
    // More rounds pass; nothing is sent again.
    await emitter.get(OutboxRelay).deliverRound();
    expect(received.sort()).toEqual([1, 2, 3]);
    // Delivered rows stay as the record of the delivery, without their payload.
    expect((await rows()).rows.map((row) => row.payload)).toEqual([{}, {}, {}]);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
