import { randomBytes } from 'node:crypto';
import { createCipheriv } from 'node:crypto';
import { FieldCipher, fieldKeyId } from './field-cipher';

describe('FieldCipher', () => {
  const cipher = new FieldCipher(randomBytes(32).toString('hex'));

  it('round-trips and never stores the plain text', () => {
    const stored = cipher.encrypt('Ab3dEf6hJk', 'account:130300');
    expect(stored).not.toContain('Ab3dEf6hJk');
    expect(cipher.decrypt(stored, 'account:130300')).toBe('Ab3dEf6hJk');
    expect(cipher.encrypt('Ab3dEf6hJk', 'account:130300')).not.toBe(stored);
  });

  it('refuses a value moved to another row, a tampered value and another key', () => {
    const stored = cipher.encrypt('secret', 'account:130300');
    expect(() => cipher.decrypt(stored, 'account:130400')).toThrow();
    const parts = stored.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'account:130300')).toThrow();
    expect(() => new FieldCipher(randomBytes(32).toString('hex')).decrypt(stored, 'account:130300')).toThrow();
  });

  it('gives every value its own nonce, across the batches nonces are drawn in', () => {
    const sealed = Array.from({ length: 2500 }, (_, i) => cipher.encrypt('ABC234', `check-code:r${i}`));
    expect(new Set(sealed.map((value) => value.split('.')[2])).size).toBe(2500);
    sealed.forEach((value, i) => expect(cipher.decrypt(value, `check-code:r${i}`)).toBe('ABC234'));
  });

  it('needs a 256-bit key', () => {
    expect(() => new FieldCipher('abcd')).toThrow('64 hex');
  });

  it('rotates: values sealed with a previous key still open, new ones carry the current key id, rekeyed ones need no old key', () => {
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('hex');
    const sealedOld = new FieldCipher(oldKey).encrypt('校验码1234', 'check-code:r1');
    expect(sealedOld.split('.').slice(0, 2)).toEqual(['v2', fieldKeyId(oldKey)]);

    const rotated = new FieldCipher(newKey, [oldKey]);
    expect(rotated.decrypt(sealedOld, 'check-code:r1')).toBe('校验码1234');
    expect(rotated.isCurrent(sealedOld)).toBe(false);
    const resealed = rotated.reseal(sealedOld, 'check-code:r1');
    expect(rotated.isCurrent(resealed)).toBe(true);
    expect(resealed.split('.')[1]).toBe(fieldKeyId(newKey));

    const withoutOld = new FieldCipher(newKey);
    expect(withoutOld.decrypt(resealed, 'check-code:r1')).toBe('校验码1234');
    expect(() => withoutOld.decrypt(sealedOld, 'check-code:r1')).toThrow(/ENCRYPTION_PREVIOUS_KEYS/);
  });

  it('opens the key-id-less v1 values written before key ids, with the current or a previous key', () => {
    const oldKey = randomBytes(32).toString('hex');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(oldKey, 'hex'), iv);
    cipher.setAAD(Buffer.from('mail:k1', 'utf8'));
    const data = Buffer.concat([cipher.update('正文', 'utf8'), cipher.final()]);
    const v1 = ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
    expect(new FieldCipher(oldKey).decrypt(v1, 'mail:k1')).toBe('正文');
    const rotated = new FieldCipher(randomBytes(32).toString('hex'), [oldKey]);
    expect(rotated.decrypt(v1, 'mail:k1')).toBe('正文');
    expect(rotated.isCurrent(v1)).toBe(false);
    expect(() => new FieldCipher(randomBytes(32).toString('hex')).decrypt(v1, 'mail:k1')).toThrow();
  });
});
