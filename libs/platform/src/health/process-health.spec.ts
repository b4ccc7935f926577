import { ClientProxy } from '@nestjs/microservices';
import { BusState } from '../bus/bus-connection-monitor';
import { InProcessTransport } from '../bus/transport';
import { healthPortFor, ProcessHealth } from './process-health';

/** The in-process transport with the bus state a NATS connection would report. */
class TransportSaying extends InProcessTransport {
  constructor(public state: BusState) {
    super();
  }
  override busState(): BusState {
    return this.state;
  }
  override async checkBus(): Promise<BusState> {
    return this.state;
  }
}

const up: BusState = { reachable: true, closedForGood: false };
const client = {} as ClientProxy;

describe('ProcessHealth', () => {
  it('is live but not ready while booting', async () => {
    const health = new ProcessHealth('review', new TransportSaying(up), 300);
    expect(health.live()).toMatchObject({ status: 200, body: { status: 'live', bus: 'up' } });
    expect(await health.ready()).toMatchObject({ status: 503, body: { down: ['startup'] } });
  });

  it('is ready when the bus and the database answer, and names what is down otherwise', async () => {
    const transport = new TransportSaying(up);
    const health = new ProcessHealth('review', transport, 300);
    let databaseUp = true;
    health.attach({
      busClient: client,
      probes: [
        {
          name: 'database',
          check: async () => {
            if (!databaseUp) throw new Error('down');
          },
        },
      ],
    });
    expect(await health.ready()).toEqual({
      status: 200,
      body: { status: 'ready', app: 'review', checks: { bus: 'up', database: 'up' } },
    });
    databaseUp = false;
    transport.state = { reachable: false, closedForGood: false, downSince: Date.now(), detail: 'reconnecting' };
    expect(await health.ready()).toMatchObject({
      status: 503,
      body: { status: 'not-ready', down: ['bus', 'database'], checks: { bus: 'down', database: 'down' } },
    });
  });

  it('asks for a restart when the bus connection closed for good, or stayed down past the limit', () => {
    const transport = new TransportSaying({ reachable: false, closedForGood: false, downSince: Date.now() - 10_000 });
    expect(new ProcessHealth('intake', transport, 300).live()).toMatchObject({ status: 200, body: { bus: 'down' } });
    expect(new ProcessHealth('intake', transport, 5).live()).toMatchObject({
      status: 503,
      body: { status: 'restart' },
    });
    // 0: never for being down…
    expect(new ProcessHealth('intake', transport, 0).live().status).toBe(200);
    // …but a connection closed for good never comes back.
    transport.state = { reachable: false, closedForGood: true, downSince: Date.now() };
    expect(new ProcessHealth('intake', transport, 0).live()).toMatchObject({
      status: 503,
      body: { status: 'restart' },
    });
  });

  it('takes each app’s default probe port unless HEALTH_PORT is set (0: off)', () => {
    expect(healthPortFor('gateway', undefined)).toBe(9000);
    expect(healthPortFor('notification', undefined)).toBe(9006);
    expect(healthPortFor('assessment', undefined)).toBe(9007);
    expect(healthPortFor('intake', 0)).toBe(0);
    expect(healthPortFor('intake', 9100)).toBe(9100);
  });
});
