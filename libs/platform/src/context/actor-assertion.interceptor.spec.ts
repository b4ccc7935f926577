import { Controller, INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { subject } from '@app/contracts';
import { ActorAssertionSigner, generateActorKeyPair } from '../bus/actor-assertion';
import { BusClient } from '../bus/bus-client';
import { InProcessBroker } from '../bus/in-process-broker';
import { InProcessTransport } from '../bus/transport';
import { loadSettings } from '../config/app-config';
import { BASE_SETTINGS } from '../config/settings';
import { createServiceApp } from '../service/create-service-app';
import { PlatformModule } from '../service/platform.module';
import { newCorrelationId, runWithContext } from './request-context';

interface Probe {
  accountId: string;
  username: string;
  orgUnitId: string | null;
  roles: string[];
}
const act = subject<{ actor: Probe; forwardAs?: Probe }, { seenBy: string[] }>('review.probe.act');
const onward = subject<{ actor: Probe }, { seenBy: string[] }>('hierarchy.probe.act');
const plain = subject<{ n: number }, { n: number }>('review.probe.plain');
const handled: string[] = [];

@Controller()
class ReviewProbe {
  constructor(private readonly bus: BusClient) {}

  @MessagePattern(act.name)
  async act(@Payload() payload: { actor: Probe; forwardAs?: Probe }) {
    handled.push(`review:${payload.actor.username}`);
    const reply = await this.bus.request(onward, { actor: payload.forwardAs ?? payload.actor });
    return { seenBy: ['review', ...reply.seenBy] };
  }

  @MessagePattern(plain.name)
  plain(@Payload() payload: { n: number }) {
    return payload;
  }
}

@Controller()
class HierarchyProbe {
  @MessagePattern(onward.name)
  act(@Payload() payload: { actor: Probe }) {
    handled.push(`hierarchy:${payload.actor.username}`);
    return { seenBy: ['hierarchy'] };
  }
}

const county: Probe = {
  accountId: '6c1f2a43-0d4e-4b7a-9d8e-2f3a4b5c6d7e',
  username: '130302',
  orgUnitId: '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b',
  roles: ['ORG'],
};
const root: Probe = { ...county, username: 'bm0100', roles: ['ROOT'] };

/** Every service refuses an actor no valid assertion vouches for, and forwards the one it got. */
describe('actor assertions on the bus', () => {
  const keys = generateActorKeyPair();
  const signer = new ActorAssertionSigner(keys.privateKey);
  const config = loadSettings(BASE_SETTINGS, {}, { LOG_LEVEL: 'silent', BUS_TIMEOUT_MS: 2000 });
  const serviceConfig = { ...config, BUS_ACTOR_PUBLIC_KEY: keys.publicKey };
  const transport = new InProcessTransport(new InProcessBroker(), 'assert');
  const services: INestMicroservice[] = [];
  let caller: INestApplicationContext;
  let bus: BusClient;
  const as = <T>(assertion: string | undefined, fn: () => Promise<T>) =>
    runWithContext({ correlationId: newCorrelationId(), actorAssertion: assertion ? () => assertion : undefined }, fn);

  beforeAll(async () => {
    for (const [service, controller] of [
      ['review', ReviewProbe],
      ['hierarchy', HierarchyProbe],
    ] as const)
      services.push(
        await createServiceApp(
          {
            module: class ProbeModule {},
            imports: [PlatformModule.forApp({ service, config, transport })],
            controllers: [controller],
          },
          { service, config: serviceConfig, transport },
        ),
      );
    caller = await NestFactory.createApplicationContext(PlatformModule.forApp({ config, transport }), {
      logger: false,
    });
    bus = caller.get(BusClient);
  });

  afterAll(async () => {
    await caller.close();
    await Promise.all(services.map((app) => app.close()));
  });

  beforeEach(() => handled.splice(0));

  it('lets an asserted actor through, and the service forwards the assertion for the same actor', async () => {
    await expect(as(signer.sign(county), () => bus.request(act, { actor: county }))).resolves.toEqual({
      seenBy: ['review', 'hierarchy'],
    });
    expect(handled).toEqual(['review:130302', 'hierarchy:130302']);
  });

  it('refuses an actor with no assertion, a forged one or an expired one, before any handler runs', async () => {
    const forger = new ActorAssertionSigner(generateActorKeyPair().privateKey);
    for (const assertion of [undefined, forger.sign(root), signer.sign(root, Date.now() - 60_000)])
      await expect(as(assertion, () => bus.request(act, { actor: root }))).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
        message: expect.stringContaining('身份断言'),
      });
    expect(handled).toEqual([]);
  });

  it('refuses an actor other than the asserted one', async () => {
    await expect(as(signer.sign(county), () => bus.request(act, { actor: root }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(handled).toEqual([]);
  });

  it('refuses a service that passes its assertion on for another actor', async () => {
    await expect(
      as(signer.sign(county), () => bus.request(act, { actor: county, forwardAs: root })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(handled).toEqual(['review:130302']);
  });

  it('needs no assertion for a message without an actor', async () => {
    await expect(bus.request(plain, { n: 3 })).resolves.toEqual({ n: 3 });
  });

  it('does not start a service without the public key', async () => {
    await expect(
      createServiceApp(
        { module: class EmptyModule {}, imports: [PlatformModule.forApp({ service: 'files', config, transport })] },
        { service: 'files', config, transport },
      ),
    ).rejects.toThrow('BUS_ACTOR_PUBLIC_KEY');
  });
});
