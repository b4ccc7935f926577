import { TokenVersionCache } from './token-version-cache';

/** A question to identity that the test answers when it chooses. */
function controlledSource() {
  const asked: Array<{ accountId: string; answer: (v: number | null) => void; fail: (e: Error) => void }> = [];
  const source = (accountId: string) =>
    new Promise<number | null>((answer, fail) => asked.push({ accountId, answer, fail }));
  return { asked, source };
}

describe('TokenVersionCache', () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  it('asks once, then answers from memory until the TTL runs out', async () => {
    const source = jest.fn(async () => 3);
    const cache = new TokenVersionCache(source, { ttlMs: 5000, now });
    expect(await cache.current('a')).toBe(3);
    clock += 4999;
    expect(await cache.current('a')).toBe(3);
    expect(source).toHaveBeenCalledTimes(1);
    clock += 1;
    source.mockResolvedValueOnce(4);
    expect(await cache.current('a')).toBe(4);
    expect(source).toHaveBeenCalledTimes(2);
  });

  it('takes a revocation event at once, long before the TTL', async () => {
    const source = jest.fn(async () => 1);
    const cache = new TokenVersionCache(source, { ttlMs: 60_000, now });
    expect(await cache.current('a')).toBe(1);
    cache.raise('a', 2);
    expect(await cache.current('a')).toBe(2);
    expect(source).toHaveBeenCalledTimes(1);
  });

  it('never lowers a version: an answer asked before an event does not undo it', async () => {
    const { asked, source } = controlledSource();
    const cache = new TokenVersionCache(source, { ttlMs: 60_000, now });
    const first = cache.current('a');
    cache.raise('a', 5);
    asked[0].answer(4);
    expect(await first).toBe(5);
    expect(await cache.current('a')).toBe(5);
    expect(asked).toHaveLength(1);
    // An older event arriving late changes nothing either.
    cache.raise('a', 3);
    expect(await cache.current('a')).toBe(5);
  });

  it('shares one question among concurrent misses of an account', async () => {
    const { asked, source } = controlledSource();
    const cache = new TokenVersionCache(source, { ttlMs: 5000, now });
    const answers = Promise.all([cache.current('a'), cache.current('a'), cache.current('b')]);
    expect(asked.map((q) => q.accountId)).toEqual(['a', 'b']);
    asked[0].answer(7);
    asked[1].answer(null);
    expect(await answers).toEqual([7, 7, null]);
  });

  it('asks again after forget, and drops an answer that was already on its way', async () => {
    const { asked, source } = controlledSource();
    const cache = new TokenVersionCache(source, { ttlMs: 60_000, now });
    const stale = cache.current('a');
    cache.forget('a');
    const fresh = cache.current('a');
    expect(asked).toHaveLength(2);
    asked[1].answer(2);
    asked[0].answer(1);
    await Promise.all([stale, fresh]);
    expect(await cache.current('a')).toBe(2);
    expect(asked).toHaveLength(2);
  });

  it('keeps using a known version while identity does not answer, and fails for an unknown account', async () => {
    const source = jest.fn(async (): Promise<number | null> => 2);
    const cache = new TokenVersionCache(source, { ttlMs: 1000, now });
    expect(await cache.current('a')).toBe(2);
    clock += 2000;
    source.mockRejectedValue(new Error('SERVICE_UNAVAILABLE'));
    expect(await cache.current('a')).toBe(2);
    await expect(cache.current('b')).rejects.toThrow('SERVICE_UNAVAILABLE');
    // A failed question is not remembered: the next request asks again.
    source.mockResolvedValue(3);
    expect(await cache.current('a')).toBe(3);
  });

  it('asks every time with a TTL of 0, and keeps at most maxEntries accounts', async () => {
    const source = jest.fn(async () => 0);
    const cache = new TokenVersionCache(source, { ttlMs: 0, now, maxEntries: 2 });
    await cache.current('a');
    await cache.current('a');
    expect(source).toHaveBeenCalledTimes(2);
    await cache.current('b');
    await cache.current('c');
    cache.raise('d', 1);
    expect(cache.size).toBe(2);
  });
});
