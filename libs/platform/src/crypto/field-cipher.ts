import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

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
  private readonly key: Buffer;
  /** The current key's id, carried by every value it seals. */
  readonly keyId: string;
  private readonly keys: Map<string, Buffer>;

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
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v2',
      this.keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      data.toString('base64url'),
    ].join('.');
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

function parseKey(hexKey: string): Buffer {
  const key = Buffer.from(hexKey, 'hex');
  if (key.length !== 32 || !/^[0-9a-fA-F]{64}$/.test(hexKey))
    throw new Error('ENCRYPTION_KEY must be 64 hex characters');
  return key;
}

function open(key: Buffer, iv: string, tag: string, data: string, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
