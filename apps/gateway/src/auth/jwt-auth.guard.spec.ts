import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims } from '@app/contracts';
import { JwtAuthGuard } from './jwt-auth.guard';
import { TokenVersions } from './token-versions';

const ACCOUNT = '6f0c8a52-9d1e-4b8f-a0d2-3c4e5f607182';

describe('JwtAuthGuard and token versions', () => {
  const jwt = new JwtService({ secret: 'x'.repeat(32), signOptions: { algorithm: 'HS256', issuer: 'gsr-identity' } });
  let current: number | null;
  const versions = { current: async () => current } as unknown as TokenVersions;
  const guard = new JwtAuthGuard(new Reflector(), jwt, versions);

  async function check(claims: Partial<AccessTokenClaims>): Promise<unknown> {
    const token = await jwt.signAsync({
      sub: ACCOUNT,
      username: '130300',
      orgUnitId: null,
      roles: ['ORG'],
      mcp: false,
      ...claims,
    });
    const request = { header: (name: string) => (name === 'authorization' ? `Bearer ${token}` : undefined) };
    const context = {
      getHandler: () => check,
      getClass: () => JwtAuthGuard,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    return guard.canActivate(context).catch((err: unknown) => err);
  }

  it('lets a token of the current version through', async () => {
    current = 3;
    expect(await check({ tv: 3 })).toBe(true);
  });

  it('refuses a token older than the account’s version, and one of an account that is gone', async () => {
    current = 4;
    expect(await check({ tv: 3 })).toMatchObject({ code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
    current = null;
    expect(await check({ tv: 3 })).toMatchObject({ code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
  });

  it('counts a token without a version (issued before versions existed) as version 0', async () => {
    current = 0;
    expect(await check({})).toBe(true);
    current = 1;
    expect(await check({})).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
