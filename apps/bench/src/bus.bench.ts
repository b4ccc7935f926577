import { healthSubject } from '@app/contracts';
import { BusClient, NatsTransport } from '@app/platform';
import { connect, StringCodec } from 'nats';
import { randomBytes } from 'node:crypto';
import { startBenchSystem } from './bench-system';
import { BenchResult, percentile } from './report';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ROUNDS = 2000;
const WARMUP = 200;

/** Sequential round trips: median and p99 in ms. */
async function timeRounds(once: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i += 1) await once();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const started = process.hrtime.bigint();
    await once();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

const ms = (value: number) => `${value.toFixed(3)} ms`;

/**
 * A gateway → service round trip over NATS (the bus client: JSON envelope, correlation header,
 * the service's pipes, interceptors and handler) beside a raw NATS request/reply on the same
 * server, in the same run. The service's handler is its health check, whose own work (a
 * `SELECT 1`) is measured beside it too.
 */
export async function busBench(): Promise<BenchResult> {
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const bench = await startBenchSystem(
    'bus',
    { PRESET_TREE: 'sample', NATS_URL, BUS_SUBJECT_PREFIX: prefix },
    (config) => new NatsTransport([NATS_URL], config.BUS_SUBJECT_PREFIX),
  );
  const nc = await connect({ servers: NATS_URL });
  try {
    const codec = StringCodec();
    const echo = nc.subscribe(`${prefix}.raw.echo`);
    void (async () => {
      for await (const msg of echo) msg.respond(msg.data);
    })();
    const payload = codec.encode(JSON.stringify({ pattern: 'raw.echo', data: {}, id: 'x' }));
    const raw = await timeRounds(() => nc.request(`${prefix}.raw.echo`, payload, { timeout: 5000 }));

    const bus = bench.system.gateway.get(BusClient);
    const service = await timeRounds(() => bus.request(healthSubject('notification'), {}));
    const sql = await timeRounds(() => bench.db.query('SELECT 1'));

    return {
      name: 'bus',
      targets: [
        {
          what: 'a gateway → service round trip over NATS (p50)',
          target: 'report it',
          measured: `${ms(service.p50)} (p99 ${ms(service.p99)})`,
          limit: `raw NATS request/reply: ${ms(raw.p50)} (p99 ${ms(raw.p99)})`,
          ratio: service.p50 / raw.p50,
          met: true,
        },
      ],
      title: 'A gateway → service round trip beside raw NATS request/reply',
      figures: [
        { label: 'raw NATS request/reply (p50 / p99)', value: `${ms(raw.p50)} / ${ms(raw.p99)}` },
        {
          label: 'bus client → notification health check over NATS (p50 / p99)',
          value: `${ms(service.p50)} / ${ms(service.p99)}`,
        },
        { label: "of which the handler's own `SELECT 1` (p50 / p99)", value: `${ms(sql.p50)} / ${ms(sql.p99)}` },
        {
          label: "bus overhead over raw NATS, less the handler's query (p50)",
          value: ms(service.p50 - raw.p50 - sql.p50),
        },
      ],
      notes: [
        `${ROUNDS} sequential round trips each after ${WARMUP} to warm up, one process: the gateway's bus client and the six services as \`npm start\` runs them, but over the NATS server at ${NATS_URL} instead of the in-process bus.`,
        'The raw figure is the nats client requesting and a plain subscription answering with the same bytes, on the same connection kind, subject prefix and server.',
        "The bus adds: JSON encode/decode of the envelope, headers, Nest's microservice dispatch, the validation pipe, the correlation and actor-assertion interceptors, and the queue group.",
        'The machine is shared (2 cores): compare the figures of one run with each other.',
      ],
    };
  } finally {
    await nc.close();
    await bench.stop();
  }
}
