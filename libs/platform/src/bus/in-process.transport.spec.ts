import { Controller, INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { eventSubject, RecordErrorCodes, subject } from '@app/contracts';
import { loadSettings } from '../config/app-config';
import { BASE_SETTINGS } from '../config/settings';
import { DomainError } from '../errors/domain-error';
import { createServiceApp } from '../service/create-service-app';
import { PlatformModule } from '../service/platform.module';
import { generateActorKeyPair } from './actor-assertion';
import { BusClient } from './bus-client';
import { InProcessBroker } from './in-process-broker';
import { InProcessTransport } from './transport';

const echo = subject<{ when: Date; list: number[] }, { when: unknown; list: number[]; same: boolean }>(
  'review.echo.run',
);
const fail = subject<Record<string, never>, never>('review.echo.fail');
const crash = subject<Record<string, never>, never>('review.echo.crash');
let lastSeen: unknown;

@Controller()
class EchoController {
  @MessagePattern(echo.name)
  run(@Payload() payload: { when: unknown; list: number[] }) {
    const same = payload === lastSeen;
    lastSeen = payload;
    payload.list.push(99);
    return { when: payload.when, list: payload.list, same };
  }

  @MessagePattern(fail.name)
  fail(): never {
    throw new DomainError(RecordErrorCodes.RECORD_STATE_CONFLICT, '记录已被锁定', { id: 7 });
  }

  @MessagePattern(crash.name)
  crash(): never {
    throw new Error('secret internal detail');
  }
}

/** The in-process transport behaves as NATS does: JSON on the wire, errors as envelopes. */
describe('in-process transport', () => {
  const config = loadSettings(
    BASE_SETTINGS,
    {},
    { LOG_LEVEL: 'silent', BUS_TIMEOUT_MS: 500, BUS_SUBJECT_PREFIX: 'unit' },
  );
  const serviceConfig = { ...config, BUS_ACTOR_PUBLIC_KEY: generateActorKeyPair().publicKey };
  const transport = new InProcessTransport(new InProcessBroker(), 'unit');
  let server: INestMicroservice;
  let caller: INestApplicationContext;
  let bus: BusClient;

  beforeAll(async () => {
    server = await createServiceApp(
      {
        module: class EchoModule {},
        imports: [PlatformModule.forApp({ service: 'review', config, transport })],
        controllers: [EchoController],
      },
      { service: 'review', config: serviceConfig, transport },
    );
    caller = await NestFactory.createApplicationContext(PlatformModule.forApp({ config, transport }), {
      logger: false,
    });
    bus = caller.get(BusClient);
  });

  afterAll(async () => {
    await caller.close();
    await server.close();
  });

  it('serialises payloads and replies as JSON: dates become strings, nothing is shared by reference', async () => {
    const payload = { when: new Date('2026-05-01T02:00:00Z'), list: [1, 2] };
    const reply = await bus.request(echo, payload);
    expect(reply).toEqual({ when: '2026-05-01T02:00:00.000Z', list: [1, 2, 99], same: false });
    expect(payload.list).toEqual([1, 2]);
  });

  it('brings a DomainError back with its code, message and details', async () => {
    await expect(bus.request(fail, {})).rejects.toMatchObject({
      code: 'RECORD_STATE_CONFLICT',
      message: '记录已被锁定',
      details: { id: 7 },
    });
  });

  it('hides an unexpected error behind INTERNAL_ERROR with an error id', async () => {
    const error = (await bus.request(crash, {}).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.message).not.toContain('secret');
    expect(error.details).toEqual({ errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('answers SERVICE_UNAVAILABLE at once when nobody handles the subject', async () => {
    await expect(bus.request(subject<object, object>('files.nobody.here'), {})).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
  });
});

/** Fan-out events on the in-process transport: every subscriber hears each one, as on NATS. */
describe('in-process fan-out events', () => {
  it('delivers each event to every subscriber, and none after unsubscribing', async () => {
    const config = loadSettings(BASE_SETTINGS, {}, { LOG_LEVEL: 'silent', BUS_SUBJECT_PREFIX: 'unit' });
    const transport = new InProcessTransport(new InProcessBroker(), 'unit');
    const apps = await Promise.all(
      [0, 1, 2].map(() =>
        NestFactory.createApplicationContext(PlatformModule.forApp({ config, transport }), { logger: false }),
      ),
    );
    const event = eventSubject<{ accountId: string }>('identity.tokens.revoked');
    const heard: string[] = [];
    const [publisher, first, second] = apps.map((app) => app.get(BusClient));
    await first.subscribe(event, (p) => heard.push(`first:${p.accountId}`));
    const stop = await second.subscribe(event, (p) => heard.push(`second:${p.accountId}`));
    await publisher.publish(event, { accountId: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard.sort()).toEqual(['first:a', 'second:a']);
    stop();
    await publisher.publish(event, { accountId: 'b' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard.sort()).toEqual(['first:a', 'first:b', 'second:a']);
    await Promise.all(apps.map((app) => app.close()));
  });
});
