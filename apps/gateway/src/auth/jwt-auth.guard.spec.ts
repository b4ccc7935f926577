import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, Role } from '@app/contracts';
import { Access, AccessRule } from './access';
import { JwtAuthGuard } from './jwt-auth.guard';
import { TokenVersions } from './token-versions';

const jwt = new JwtService({ secret: 'guard-spec-secret-guard-spec-secret' });
// Token versions are checked elsewhere (token-versions.spec.ts): every token is current here.
const current = { assertCurrent: async () => undefined } as unknown as TokenVersions;
const guard = new JwtAuthGuard(new Reflector(), jwt, current);

const UNIT_ID = '6f1c1f5e-2a7b-4c1e-9d3a-0b1c2d3e4f50';
const CALLERS: Record<string, Pick<AccessTokenClaims, 'roles' | 'orgUnitId'>> = {
  unit: { roles: ['ORG'], orgUnitId: UNIT_ID },
  root: { roles: ['ORG', 'ROOT'], orgUnitId: UNIT_ID },
  support: { roles: ['SUPPORT'], orgUnitId: null },
  auditor: { roles: ['AUDITOR'], orgUnitId: null },
};

/** A route handler carrying the rules (none: a route that forgot to declare any). */
function route(rules: AccessRule[] | null): () => void {
  class Controller {
    handler(): void {}
  }
  if (rules)
    Access(rules[0], ...rules.slice(1))(Controller.prototype, 'handler', {
      value: Controller.prototype.handler,
    });
  return Controller.prototype.handler;
}

async function call(
  handler: () => void,
  caller?: string,
  roles: Pick<AccessTokenClaims, 'roles' | 'orgUnitId'> | undefined = caller ? CALLERS[caller] : undefined,
): Promise<string> {
  const headers: Record<string, string> = {};
  if (caller) {
    const claims = { sub: UNIT_ID, username: caller, mcp: false, ...roles };
    headers.authorization = `Bearer ${await jwt.signAsync(claims, { issuer: 'gsr-identity', algorithm: 'HS256' })}`;
  }
  const request = { header: (name: string) => headers[name.toLowerCase()] };
  const context = {
    getHandler: () => handler,
    getClass: () => Object,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  try {
    await guard.canActivate(context);
    return 'in';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('JwtAuthGuard: each route’s declared @Access rule', () => {
  it('refuses every caller of a route that declares no rule (fail closed)', async () => {
    const undeclared = route(null);
    for (const caller of Object.keys(CALLERS)) expect(await call(undeclared, caller)).toBe('FORBIDDEN');
    expect(await call(undeclared)).toBe('UNAUTHENTICATED');
  });

  it.each<[AccessRule[], Record<string, string>]>([
    [['public'], { none: 'in', unit: 'in', root: 'in', support: 'in', auditor: 'in' }],
    [['signed-in'], { none: 'UNAUTHENTICATED', unit: 'in', root: 'in', support: 'in', auditor: 'in' }],
    [['unit-own'], { none: 'UNAUTHENTICATED', unit: 'in', root: 'in', support: 'FORBIDDEN', auditor: 'FORBIDDEN' }],
    [['unit-subtree'], { none: 'UNAUTHENTICATED', unit: 'in', root: 'in', support: 'FORBIDDEN', auditor: 'FORBIDDEN' }],
    [['root'], { none: 'UNAUTHENTICATED', unit: 'FORBIDDEN', root: 'in', support: 'FORBIDDEN', auditor: 'FORBIDDEN' }],
    [
      ['support'],
      { none: 'UNAUTHENTICATED', unit: 'FORBIDDEN', root: 'FORBIDDEN', support: 'in', auditor: 'FORBIDDEN' },
    ],
    [
      ['auditor'],
      { none: 'UNAUTHENTICATED', unit: 'FORBIDDEN', root: 'FORBIDDEN', support: 'FORBIDDEN', auditor: 'in' },
    ],
    [
      ['support', 'root'],
      { none: 'UNAUTHENTICATED', unit: 'FORBIDDEN', root: 'in', support: 'in', auditor: 'FORBIDDEN' },
    ],
  ])('%j lets in %j', async (rules, expected) => {
    const handler = route(rules);
    const answers: Record<string, string> = { none: await call(handler) };
    for (const caller of Object.keys(CALLERS)) answers[caller] = await call(handler, caller);
    expect(answers).toEqual(expected);
  });

  it('refuses a unit rule to an ORG token that carries no unit', async () => {
    const handler = route(['unit-own']);
    expect(await call(handler, 'unlinked', { roles: ['ORG'] as Role[], orgUnitId: null })).toBe('FORBIDDEN');
  });
});

describe('JwtAuthGuard: JWT_SECRET rotation (JWT_PREVIOUS_SECRETS)', () => {
  const previous = 'the-secret-before-the-rotation-32chars';
  const unknown = 'a-secret-this-gateway-never-heard-of-32';
  const rotated = new JwtAuthGuard(new Reflector(), jwt, current, [Buffer.from(previous, 'utf8')]);
  const claims = { sub: UNIT_ID, username: 'unit', mcp: false, ...CALLERS.unit };

  async function present(token: string): Promise<string> {
    const request = { header: (name: string) => (name === 'authorization' ? `Bearer ${token}` : undefined) };
    const context = {
      getHandler: () => route(['signed-in']),
      getClass: () => Object,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    try {
      await rotated.canActivate(context);
      return 'in';
    } catch (error) {
      return (error as { code: string }).code;
    }
  }

  const sign = (secret: string, options: { expiresIn?: number } = {}) =>
    new JwtService({ secret }).signAsync(claims, { issuer: 'gsr-identity', algorithm: 'HS256', ...options });

  it('accepts tokens signed with the current secret and with a previous one', async () => {
    expect(await present(await jwt.signAsync(claims, { issuer: 'gsr-identity', algorithm: 'HS256' }))).toBe('in');
    expect(await present(await sign(previous))).toBe('in');
  });

  it('refuses a token signed with an unknown secret, and an expired one whatever signed it', async () => {
    expect(await present(await sign(unknown))).toBe('UNAUTHENTICATED');
    expect(await present(await sign(previous, { expiresIn: -10 }))).toBe('UNAUTHENTICATED');
  });

  it('without previous secrets, a token of the old secret is refused', async () => {
    const strict = new JwtAuthGuard(new Reflector(), jwt, current);
    const token = await sign(previous);
    const context = {
      getHandler: () => route(['signed-in']),
      getClass: () => Object,
      switchToHttp: () => ({ getRequest: () => ({ header: () => `Bearer ${token}` }) }),
    } as unknown as ExecutionContext;
    await expect(strict.canActivate(context)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
