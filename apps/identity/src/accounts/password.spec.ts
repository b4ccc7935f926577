import {
  hashInitialPassword,
  hashPassword,
  hasFullCost,
  samePassword,
  UNMATCHABLE_HASH,
  verifyPassword,
} from './password-hasher';
import { generateInitialPassword, INITIAL_PASSWORD_ALPHABET } from './password-generator';

describe('initial passwords', () => {
  it('are 10 characters without 0 O o 1 l I', () => {
    for (let i = 0; i < 2000; i++) {
      const password = generateInitialPassword();
      expect(password).toHaveLength(10);
      expect(password).not.toMatch(/[0Oo1lI]/);
    }
    expect(INITIAL_PASSWORD_ALPHABET).not.toMatch(/[0Oo1lI]/);
  });

  it('use the whole alphabet (a CSPRNG, not a fixed pattern)', () => {
    const seen = new Set(Array.from({ length: 500 }, generateInitialPassword).join(''));
    expect(seen.size).toBe(INITIAL_PASSWORD_ALPHABET.length);
  });
});

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('Correct-Horse-9');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('Correct-Horse-9');
    await expect(verifyPassword('Correct-Horse-9', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct-horse-9', hash)).resolves.toBe(false);
    await expect(verifyPassword('Correct-Horse-9', 'garbage')).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('treats full-width input typed by a Chinese IME as the same password (NFKC)', async () => {
    await expect(verifyPassword('Ｐａｓｓ１２３', await hashPassword('Pass123'))).resolves.toBe(true);
  });
});

describe('what login compares', () => {
  it('tells a full-cost hash from an initial password’s cheaper one', async () => {
    expect(hasFullCost(await hashPassword('Correct-Horse-9'))).toBe(true);
    expect(hasFullCost(UNMATCHABLE_HASH)).toBe(true);
    expect(hasFullCost(await hashInitialPassword('AbCdEfGh23'))).toBe(false);
    expect(hasFullCost('garbage')).toBe(false);
  });

  it('compares passwords as the hash does: NFKC, so full-width input matches', () => {
    expect(samePassword('ＡｂＣｄ２３４５', 'AbCd2345')).toBe(true);
    expect(samePassword('AbCd2345', 'AbCd2346')).toBe(false);
    expect(samePassword('AbCd2345', 'AbCd23456')).toBe(false);
  });
});
