import { createCipheriv, createDecipheriv, createHash, createSecretKey, KeyObject, randomBytes } from 'node:crypto';

/** GCM's 96-bit nonce. */
const IV_BYTES = 12;
/** Nonces drawn from the CSPRNG at once: one call per 1,024 seals (a call per seal cost more than the seal). */
const IV_BATCH = 1024;

/** The id a ciphertext carries of the key that sealed it: 8 hex characters of the key's SHA-256. */
export function fieldKeyId(hexKey: string): string {
  return createHash('sha256').update(Buffer.from(hexKey, 'hex')).digest('hex').slice(0, 8);
}

/** The keys of a list setting (`ENCRYPTION_PREVIOUS_KEYS`): comma separated, blanks ignored. */
export function keyList(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * AES-256-GCM for secrets kept in the database (initial passwords, 校验码, mail bodies). Stored
 * as `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url); the tag makes any tampering fail to
 * decrypt. `context` is bound as associated data, so a value copied to another row does not
 * decrypt. New values are always sealed with the current key; `previousKeys` only open values
 * sealed before a rotation (found by their key id; the older `v1.<iv>.<tag>.<ciphertext>`,
 * which has none, is tried with each key). `npm run client -- rekey` reseals every stored value
 * with the current key, after which the previous keys can be removed (docs/OPERATIONS.md).
 */
export class FieldCipher {
  private readonly key: KeyObject;
  /** The current key's id, carried by every value it seals. */
  readonly keyId: string;
  private readonly keys: Map<string, KeyObject>;
  /** Random nonces not used yet: each is taken once, then the buffer is replaced (never reused). */
  private ivs = Buffer.alloc(0);
  private ivAt = 0;

  constructor(hexKey: string, previousKeys: readonly string[] = []) {
    this.key = parseKey(hexKey);
    this.keyId = fieldKeyId(hexKey);
    this.keys = new Map([[this.keyId, this.key]]);
    for (const previous of previousKeys) {
      const id = fieldKeyId(previous);
      if (!this.keys.has(id)) this.keys.set(id, parseKey(previous));
    }
  }

  encrypt(plain: string, context: string): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v2.${this.keyId}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data.toString('base64url')}`;
  }

  /** A fresh random nonce (12 bytes of the CSPRNG, as from randomBytes(12), drawn in batches). */
  private nextIv(): Buffer {
    if (this.ivAt + IV_BYTES > this.ivs.length) {
      this.ivs = randomBytes(IV_BYTES * IV_BATCH);
      this.ivAt = 0;
    }
    const iv = this.ivs.subarray(this.ivAt, this.ivAt + IV_BYTES);
    this.ivAt += IV_BYTES;
    return iv;
  }

  decrypt(stored: string, context: string): string {
    const parts = stored.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const key = this.keys.get(parts[1]);
      if (!key)
        throw new Error(
          `field sealed with an unknown key (id ${parts[1]}): add that key to ENCRYPTION_PREVIOUS_KEYS, or restore it`,
        );
      return open(key, parts[2], parts[3], parts[4], context);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      let failure: unknown;
      for (const key of this.keys.values()) {
        try {
          return open(key, parts[1], parts[2], parts[3], context);
        } catch (error) {
          failure = error;
        }
      }
      throw failure;
    }
    throw new Error('not an encrypted field');
  }

  /** True when `stored` was sealed with the current key (nothing for `rekey` to do). */
  isCurrent(stored: string): boolean {
    const parts = stored.split('.');
    return parts[0] === 'v2' && parts[1] === this.keyId;
  }

  /** The same plain text sealed again with the current key (throws like `decrypt`). */
  reseal(stored: string, context: string): string {
    return this.encrypt(this.decrypt(stored, context), context);
  }
}

/** The key as a KeyObject: OpenSSL then skips re-importing the raw bytes on every seal. */
function parseKey(hexKey: string): KeyObject {
  const key = Buffer.from(hexKey, 'hex');
  if (key.length !== 32 || !/^[0-9a-fA-F]{64}$/.test(hexKey))
    throw new Error('ENCRYPTION_KEY must be 64 hex characters');
  return createSecretKey(key);
}

function open(key: KeyObject, iv: string, tag: string, data: string, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
