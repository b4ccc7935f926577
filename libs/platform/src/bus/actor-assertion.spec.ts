import {
  ACTOR_ASSERTION_REUSE_MS,
  ACTOR_ASSERTION_TTL_MS,
  actorPublicKeyOf,
  ActorAssertionSigner,
  ActorAssertionVerifier,
  generateActorKeyPair,
} from './actor-assertion';
import crypto from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';

const keys = generateActorKeyPair();
const signer = new ActorAssertionSigner(keys.privateKey);
const verifier = new ActorAssertionVerifier(keys.publicKey);
const county = {
  accountId: '6c1f2a43-0d4e-4b7a-9d8e-2f3a4b5c6d7e',
  username: '130302',
  orgUnitId: '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b',
  roles: ['ORG'],
};
const problem = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return (err as { problem?: string }).problem ?? String(err);
  }
};

describe('actor assertions', () => {
  it('verifies an assertion of the same actor, whatever the order of its keys', () => {
    const assertion = signer.sign(county);
    const reordered = { roles: ['ORG'], orgUnitId: county.orgUnitId, username: '130302', accountId: county.accountId };
    expect(verifier.verifyFor(reordered, assertion).actor).toEqual(county);
  });

  it('refuses a missing, truncated or foreign-format assertion', () => {
    expect(problem(() => verifier.verifyFor(county, undefined))).toBe('missing');
    expect(problem(() => verifier.verifyFor(county, ''))).toBe('missing');
    expect(problem(() => verifier.verifyFor(county, signer.sign(county).split('.').slice(0, 2).join('.')))).toBe(
      'malformed',
    );
    expect(problem(() => verifier.verifyFor(county, `v2.${signer.sign(county).slice(3)}`))).toBe('malformed');
    expect(problem(() => verifier.verifyFor(county, 'x'.repeat(10_000)))).toBe('malformed');
  });

  it('refuses an assertion past its lifetime, and one issued in the future', () => {
    const now = Date.now();
    const old = signer.sign(county, now - ACTOR_ASSERTION_TTL_MS);
    expect(problem(() => verifier.verifyFor(county, old, now))).toBe('expired');
    expect(problem(() => verifier.verifyFor(county, signer.sign(county, now - ACTOR_ASSERTION_TTL_MS + 1), now))).toBe(
      'accepted',
    );
    expect(problem(() => verifier.verifyFor(county, signer.sign(county, now + 60_000), now))).toBe('expired');
  });

  it('refuses a tampered assertion: claims rewritten to root, or a signature moved over', () => {
    const [version, claims, signature] = signer.sign(county).split('.');
    const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString());
    const root = { ...county, username: 'bm0100', roles: ['ROOT'] };
    const forged = Buffer.from(JSON.stringify({ ...decoded, actor: root })).toString('base64url');
    expect(problem(() => verifier.verifyFor(root, `${version}.${forged}.${signature}`))).toBe('signature');
    const longer = Buffer.from(JSON.stringify({ ...decoded, exp: decoded.exp + 3_600_000 })).toString('base64url');
    expect(problem(() => verifier.verifyFor(county, `${version}.${longer}.${signature}`))).toBe('signature');
  });

  it('refuses an assertion signed with any other key', () => {
    const other = new ActorAssertionSigner(generateActorKeyPair().privateKey);
    expect(problem(() => verifier.verifyFor(county, other.sign(county)))).toBe('signature');
  });

  it('refuses a valid assertion of one actor for a request carrying another', () => {
    const assertion = signer.sign(county);
    expect(problem(() => verifier.verifyFor({ ...county, roles: ['ROOT'] }, assertion))).toBe('mismatch');
    expect(problem(() => verifier.verifyFor({ ...county, orgUnitId: null }, assertion))).toBe('mismatch');
    expect(problem(() => verifier.verifyFor({ ...county, extra: 1 }, assertion))).toBe('mismatch');
  });

  it('takes keys as PEM or one-line base64 DER, and derives the public half of a private key', () => {
    const pair = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
      publicKeyEncoding: { format: 'pem', type: 'spki' },
    });
    const pem = new ActorAssertionSigner(pair.privateKey).sign(county);
    expect(new ActorAssertionVerifier(pair.publicKey).verifyFor(county, pem).actor).toEqual(county);
    expect(new ActorAssertionVerifier(actorPublicKeyOf(pair.privateKey)).verifyFor(county, pem).actor).toEqual(county);
    expect(actorPublicKeyOf(keys.privateKey)).toBe(keys.publicKey);
    // Not Ed25519: refused rather than used.
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(
      () => new ActorAssertionSigner(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
    ).toThrow();
    expect(
      () => new ActorAssertionVerifier(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString()),
    ).toThrow();
  });

  it('sends one assertion again for the same actor within the reuse window, a new one after it', () => {
    const gateway = new ActorAssertionSigner(keys.privateKey);
    const now = Date.now();
    const first = gateway.assertionFor(county, now);
    const reordered = { roles: ['ORG'], orgUnitId: county.orgUnitId, username: '130302', accountId: county.accountId };
    expect(gateway.assertionFor(reordered, now + ACTOR_ASSERTION_REUSE_MS - 1)).toBe(first);
    const province = { ...county, username: '130000' };
    expect(gateway.assertionFor(province, now)).not.toBe(first);
    const next = gateway.assertionFor(county, now + ACTOR_ASSERTION_REUSE_MS);
    expect(next).not.toBe(first);
    // Whatever is sent has most of its life left, and asserts exactly its actor.
    const claims = verifier.verifyFor(county, next, now + ACTOR_ASSERTION_REUSE_MS);
    expect(claims.iat).toBe(now + ACTOR_ASSERTION_REUSE_MS);
    expect(
      verifier.verifyFor(county, first, now + ACTOR_ASSERTION_REUSE_MS - 1).exp - (now + ACTOR_ASSERTION_REUSE_MS),
    ).toBe(ACTOR_ASSERTION_TTL_MS - ACTOR_ASSERTION_REUSE_MS);
    expect(problem(() => verifier.verifyFor(county, gateway.assertionFor(province, now), now))).toBe('mismatch');
  });

  it('checks a signature once per assertion, and its expiry and actor on every message', () => {
    const service = new ActorAssertionVerifier(keys.publicKey);
    const verify = jest.spyOn(crypto, 'verify');
    try {
      const now = Date.now();
      const assertion = signer.sign(county, now);
      expect(problem(() => service.verifyFor(county, assertion, now))).toBe('accepted');
      expect(problem(() => service.verifyFor(county, assertion, now + 1000))).toBe('accepted');
      expect(verify).toHaveBeenCalledTimes(1);
      expect(problem(() => service.verifyFor({ ...county, roles: ['ROOT'] }, assertion, now))).toBe('mismatch');
      expect(problem(() => service.verifyFor(county, assertion, now + ACTOR_ASSERTION_TTL_MS))).toBe('expired');
      // A tampered copy of a known assertion is a different text: checked in full, refused.
      const [version, claims, signature] = assertion.split('.');
      const root = { ...county, roles: ['ROOT'] };
      const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...decoded, actor: root })).toString('base64url');
      expect(problem(() => service.verifyFor(root, `${version}.${forged}.${signature}`, now))).toBe('signature');
      const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
      expect(problem(() => service.verifyFor(county, `${version}.${claims}.${flipped}`, now))).toBe('signature');
      expect(verify).toHaveBeenCalledTimes(3);
    } finally {
      verify.mockRestore();
    }
  });

  it('keeps a bounded number of verified assertions, the oldest dropped first', () => {
    const service = new ActorAssertionVerifier(keys.publicKey, 2);
    const verify = jest.spyOn(crypto, 'verify');
    try {
      const now = Date.now();
      const [a, b, c] = [1, 2, 3].map((n) => signer.sign({ ...county, username: `13030${n}` }, now));
      for (const [n, assertion] of [a, b, c].entries())
        service.verifyFor({ ...county, username: `13030${n + 1}` }, assertion, now);
      expect(verify).toHaveBeenCalledTimes(3);
      // c and b are kept; a was dropped and is checked in full again (and still accepted).
      service.verifyFor({ ...county, username: '130303' }, c, now);
      expect(verify).toHaveBeenCalledTimes(3);
      expect(problem(() => service.verifyFor({ ...county, username: '130301' }, a, now))).toBe('accepted');
      expect(verify).toHaveBeenCalledTimes(4);
    } finally {
      verify.mockRestore();
    }
  });
});
