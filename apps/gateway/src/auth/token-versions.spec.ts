import { BusClient, SessionSettings } from '@app/platform/core';
import { TokenVersions } from './token-versions';

const ACCOUNT = '6f0c8a52-9d1e-4b8f-a0d2-3c4e5f607182';

/** The guard's check (JwtAuthGuard calls it right after verifying the token's signature). */
describe('TokenVersions.assertCurrent', () => {
  let current: number | null;
  const bus = { request: async () => ({ accountId: ACCOUNT, tokenVersion: current }) } as unknown as BusClient;
  const versions = new TokenVersions(bus, { TOKEN_VERSION_CACHE_MS: 0 } as SessionSettings);
  const check = (tv?: number) =>
    versions.assertCurrent({ sub: ACCOUNT, tv }).then(
      () => 'in',
      (err: unknown) => err,
    );

  it('lets a token of the current version through', async () => {
    current = 3;
    expect(await check(3)).toBe('in');
  });

  it('refuses a token older than the account’s version, and one of an account that is gone', async () => {
    current = 4;
    expect(await check(3)).toMatchObject({ code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
    current = null;
    expect(await check(3)).toMatchObject({ code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
  });

  it('counts a token without a version (issued before versions existed) as version 0', async () => {
    current = 0;
    expect(await check()).toBe('in');
    current = 1;
    expect(await check()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
