import { randomBytes } from 'node:crypto';
import { FieldCipher } from './field-cipher';

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
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'account:130300')).toThrow();
    expect(() => new FieldCipher(randomBytes(32).toString('hex')).decrypt(stored, 'account:130300')).toThrow();
  });

  it('needs a 256-bit key', () => {
    expect(() => new FieldCipher('abcd')).toThrow('64 hex');
  });
});
