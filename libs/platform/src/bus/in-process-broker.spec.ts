import { DEFAULT_MAX_PAYLOAD, InProcessBroker, MaxPayloadExceededError } from './in-process-broker';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InProcessBroker', () => {
  it('gives each message to one member of a queue group, in turn', async () => {
    const broker = new InProcessBroker();
    const got: string[] = [];
    broker.subscribe('svc.a.b', 'svc', (raw) => got.push(`one:${raw}`));
    broker.subscribe('svc.a.b', 'svc', (raw) => got.push(`two:${raw}`));
    for (const n of [1, 2, 3, 4]) expect(broker.publish('svc.a.b', String(n), {})).toBe(1);
    await tick();
    expect(got).toEqual(['one:1', 'two:2', 'one:3', 'two:4']);
  });

  it('gives every message to each separate group', async () => {
    const broker = new InProcessBroker();
    const got: string[] = [];
    broker.subscribe('svc.a.b', 'first', (raw) => got.push(`first:${raw}`));
    broker.subscribe('svc.a.b', 'second', (raw) => got.push(`second:${raw}`));
    expect(broker.publish('svc.a.b', 'x', {})).toBe(2);
    await tick();
    expect(got.sort()).toEqual(['first:x', 'second:x']);
  });

  it('reports that nobody listens, and forgets unsubscribed handlers', async () => {
    const broker = new InProcessBroker();
    expect(broker.publish('svc.none.here', 'x', {})).toBe(0);
    const unsubscribe = broker.subscribe('svc.a.b', 'svc', () => undefined);
    expect(broker.subscriberCount('svc.a.b')).toBe(1);
    unsubscribe();
    expect(broker.subscriberCount('svc.a.b')).toBe(0);
    expect(broker.publish('svc.a.b', 'x', {})).toBe(0);
  });

  it('delivers after the publisher returns, with a copy of the headers', async () => {
    const broker = new InProcessBroker();
    const seen: Array<Record<string, string>> = [];
    broker.subscribe('svc.a.b', 'svc', (_raw, headers) => seen.push(headers));
    const headers = { 'x-correlation-id': 'abc' };
    broker.publish('svc.a.b', '{}', headers);
    expect(seen).toEqual([]);
    headers['x-correlation-id'] = 'changed';
    await tick();
    expect(seen).toEqual([{ 'x-correlation-id': 'abc' }]);
  });

  it('refuses a message over the 1 MB of NATS, a request before sending and a reply in the replier', async () => {
    const broker = new InProcessBroker();
    expect(broker.maxPayload).toBe(DEFAULT_MAX_PAYLOAD);
    const big = 'x'.repeat(DEFAULT_MAX_PAYLOAD + 1);
    const got: string[] = [];
    broker.subscribe('svc.a.b', 'svc', (raw, _headers, reply) => {
      got.push(raw);
      try {
        reply?.(raw === 'small' ? big : 'ok');
      } catch (err) {
        got.push((err as Error).message);
      }
    });
    expect(() => broker.publish('svc.a.b', big, {})).toThrow(MaxPayloadExceededError);
    // Exactly at the limit passes; the headers count too.
    const answers: string[] = [];
    expect(broker.publish('svc.a.b', 'y'.repeat(DEFAULT_MAX_PAYLOAD), {}, (raw) => answers.push(raw))).toBe(1);
    expect(() => broker.publish('svc.a.b', 'y'.repeat(DEFAULT_MAX_PAYLOAD), { h: 'v' })).toThrow(
      'MAX_PAYLOAD_EXCEEDED',
    );
    broker.publish('svc.a.b', 'small', {}, (raw) => answers.push(raw));
    await tick();
    expect(answers).toEqual(['ok']);
    expect(got[got.length - 1]).toContain('MAX_PAYLOAD_EXCEEDED');
  });
});
