import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';

/**
 * Signed, short-lived actor assertions: how a service knows the `actor` of a bus request was
 * built by the gateway from a verified access token, and not written by whoever can publish on
 * the bus. The gateway signs (Ed25519, private key); services only verify (public key), so a
 * compromised service cannot mint an assertion for any other user, root included.
 *
 * An assertion is `v1.<claims>.<signature>` (base64url): the claims are the actor exactly as
 * the gateway sends it, the issue and expiry times and a random id. It travels in the
 * `x-actor-assertion` header of every request whose payload has an `actor`; a service that
 * calls another service for the same actor forwards the one it received.
 *
 * Neither side repeats the public-key work for every message: the gateway hands out the same
 * assertion for the same actor for ACTOR_ASSERTION_REUSE_MS (each one still has most of its
 * life left when it is sent), and a service remembers the assertions it verified, by their exact
 * text, until they expire. The expiry and the actor are checked on every message all the same.
 */

export const ACTOR_ASSERTION_HEADER = 'x-actor-assertion';

/** How long an assertion is good for: long enough for a request and its onward calls. */
export const ACTOR_ASSERTION_TTL_MS = 30_000;

/**
 * How long the gateway sends one assertion again for the same actor (of its 30 s): each
 * assertion sent has at least 25 s left, as long as a request and its onward calls need.
 */
export const ACTOR_ASSERTION_REUSE_MS = 5_000;

/** Assertions the gateway keeps to send again, and a service keeps verified, at most (the oldest go first). */
export const ASSERTIONS_KEPT = 1024;

/** Clocks of the gateway and the services may differ this much. */
const CLOCK_SKEW_MS = 5_000;

const VERSION = 'v1';
const ISSUER = 'gsr-gateway';
/** Far larger than any actor; refused before any parsing or signature work. */
const MAX_ASSERTION_LENGTH = 4096;

export interface ActorAssertionClaims {
  iss: string;
  /** The actor exactly as the request carries it (canonical JSON). */
  actor: Record<string, unknown>;
  /** Issued at, expires at: milliseconds since the epoch. */
  iat: number;
  exp: number;
  /** A random id, so assertions of one actor issued in the same millisecond still differ. */
  jti: string;
}

export type ActorAssertionProblem = 'missing' | 'malformed' | 'signature' | 'expired' | 'mismatch';

export class ActorAssertionError extends Error {
  constructor(readonly problem: ActorAssertionProblem) {
    super(`actor assertion refused: ${problem}`);
  }
}

/** PEM, or base64 of the DER (PKCS#8) as one line, as the settings accept it. */
export function parseActorPrivateKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
  return key;
}

/** PEM, or base64 of the DER (SPKI) as one line. */
export function parseActorPublicKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPublicKey(text)
    : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}

/** A new Ed25519 key pair, both halves as one-line base64 DER (what the embedded default and tests use). */
export function generateActorKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** The public half of a private key given as the settings accept it, as one-line base64 DER. */
export function actorPublicKeyOf(privateKey: string): string {
  return createPublicKey(parseActorPrivateKey(privateKey)).export({ format: 'der', type: 'spki' }).toString('base64');
}

/**
 * JSON with object keys sorted and undefined members dropped: the same actor gives the same
 * text whichever side built it and however its keys were ordered.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value ?? null))));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  return value;
}

/** The gateway's half: signs the actor it built from a verified access token. */
export class ActorAssertionSigner {
  private readonly key: KeyObject;
  /** The latest assertion per actor (canonical JSON), sent again within the reuse window. */
  private readonly issued = new Map<string, { assertion: string; iat: number }>();

  constructor(
    privateKey: string,
    private readonly ttlMs = ACTOR_ASSERTION_TTL_MS,
    private readonly reuseMs = ACTOR_ASSERTION_REUSE_MS,
    private readonly maxKept = ASSERTIONS_KEPT,
  ) {
    this.key = parseActorPrivateKey(privateKey);
  }

  /** A new assertion of the actor, issued `now`. */
  sign(actor: object, now = Date.now()): string {
    return this.signCanonical(canonicalJson(actor), now);
  }

  /**
   * The assertion to send for the actor now: the one issued for the same actor less than
   * `reuseMs` ago (so it has at least `ttlMs - reuseMs` left), else a new one. The caller has
   * verified the actor's access token for this very request; only the signature is reused.
   */
  assertionFor(actor: object, now = Date.now()): string {
    const actorJson = canonicalJson(actor);
    const kept = this.issued.get(actorJson);
    if (kept && now >= kept.iat && now - kept.iat < this.reuseMs) return kept.assertion;
    const assertion = this.signCanonical(actorJson, now);
    this.issued.delete(actorJson);
    if (this.issued.size >= this.maxKept) this.issued.delete(this.issued.keys().next().value!);
    this.issued.set(actorJson, { assertion, iat: now });
    return assertion;
  }

  private signCanonical(actorJson: string, now: number): string {
    const claims: ActorAssertionClaims = {
      iss: ISSUER,
      actor: JSON.parse(actorJson) as Record<string, unknown>,
      iat: now,
      exp: now + this.ttlMs,
      jti: randomBytes(12).toString('base64url'),
    };
    const body = `${VERSION}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${body}.${sign(null, Buffer.from(body), this.key).toString('base64url')}`;
  }
}

interface VerifiedAssertion {
  claims: ActorAssertionClaims;
  /** The asserted actor as canonical JSON, what a request's actor is compared with. */
  actorJson: string;
}

/** Every service's half: checks an assertion and that it asserts the actor the request carries. */
export class ActorAssertionVerifier {
  private readonly key: KeyObject;
  /**
   * Assertions whose signature and form were checked, by their exact text, oldest first: the
   * same text again needs only the time checks. Expired ones are dropped as new ones come in.
   */
  private readonly verified = new Map<string, VerifiedAssertion>();

  constructor(
    publicKey: string,
    private readonly maxKept = ASSERTIONS_KEPT,
  ) {
    this.key = parseActorPublicKey(publicKey);
  }

  /** The claims of a well-formed, authentic, current assertion; throws ActorAssertionError otherwise. */
  verify(assertion: string | undefined, now = Date.now()): ActorAssertionClaims {
    return this.check(assertion, now).claims;
  }

  /** Verifies the assertion and that the request's actor is exactly the asserted one. */
  verifyFor(actor: unknown, assertion: string | undefined, now = Date.now()): ActorAssertionClaims {
    const verified = this.check(assertion, now);
    if (canonicalJson(actor) !== verified.actorJson) throw new ActorAssertionError('mismatch');
    return verified.claims;
  }

  private check(assertion: string | undefined, now: number): VerifiedAssertion {
    if (!assertion) throw new ActorAssertionError('missing');
    const known = this.verified.get(assertion);
    const verified = known ?? this.verifySignature(assertion);
    const { iat, exp } = verified.claims;
    if (now >= exp || iat > now + CLOCK_SKEW_MS) throw new ActorAssertionError('expired');
    if (!known) this.remember(assertion, verified, now);
    return verified;
  }

  private verifySignature(assertion: string): VerifiedAssertion {
    if (assertion.length > MAX_ASSERTION_LENGTH) throw new ActorAssertionError('malformed');
    const parts = assertion.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) throw new ActorAssertionError('malformed');
    const signature = Buffer.from(parts[2], 'base64url');
    if (signature.length !== 64 || !verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), this.key, signature))
      throw new ActorAssertionError('signature');
    let claims: ActorAssertionClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as ActorAssertionClaims;
    } catch {
      throw new ActorAssertionError('malformed');
    }
    if (
      !claims ||
      claims.iss !== ISSUER ||
      typeof claims.iat !== 'number' ||
      typeof claims.exp !== 'number' ||
      !claims.actor ||
      typeof claims.actor !== 'object'
    )
      throw new ActorAssertionError('malformed');
    Object.freeze(claims.actor);
    return { claims: Object.freeze(claims), actorJson: canonicalJson(claims.actor) };
  }

  private remember(assertion: string, verified: VerifiedAssertion, now: number): void {
    for (const [text, kept] of this.verified) {
      if (this.verified.size < this.maxKept && now < kept.claims.exp) break;
      this.verified.delete(text);
    }
    this.verified.set(assertion, verified);
  }
}
