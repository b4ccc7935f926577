import { randomInt } from 'node:crypto';

/**
 * Initial passwords: 10 characters from a CSPRNG over an alphabet without 0 O o 1 l I
 * (the 2015 FAQ: users mistook l for 1 and O for 0). 56 symbols: log2(56^10) ≈ 58 bits.
 */
export const INITIAL_PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export const INITIAL_PASSWORD_LENGTH = 10;

export function generateInitialPassword(length = INITIAL_PASSWORD_LENGTH): string {
  let password = '';
  for (let i = 0; i < length; i++) password += INITIAL_PASSWORD_ALPHABET[randomInt(INITIAL_PASSWORD_ALPHABET.length)];
  return password;
}
