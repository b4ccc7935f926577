import { fetchStartupState, progressLines } from './startup';

function answer(status: number, body: unknown) {
  globalThis.fetch = jest.fn(async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
}

const progress = {
  units: { done: 19, total: 19 },
  accounts: { done: 7, total: 19 },
  workbooks: { done: 0, total: 5 },
};

describe('the first start, as the login screen sees it', () => {
  it('holds the login form back while health answers 503 starting, with the progress', async () => {
    answer(503, { status: 'starting', services: {}, progress });
    await expect(fetchStartupState()).resolves.toEqual({ starting: true, progress });
    expect(progressLines(progress)).toEqual(['预置单位：19 / 19', '单位账号：7 / 19', '下级单位账号表：0 / 5']);
  });

  it('shows the form once ready, when a service is down, or when the server cannot be reached', async () => {
    answer(200, { status: 'up', services: {} });
    await expect(fetchStartupState()).resolves.toEqual({ starting: false });
    answer(503, { status: 'down', services: {} });
    await expect(fetchStartupState()).resolves.toEqual({ starting: false });
    globalThis.fetch = jest.fn(async () => {
      throw new TypeError('offline');
    }) as unknown as typeof fetch;
    await expect(fetchStartupState()).resolves.toEqual({ starting: false });
  });
});
