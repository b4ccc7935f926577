import { createHash, randomBytes, ScryptOptions, timingSafeEqual } from 'node:crypto';
import { KdfPool } from './kdf-pool';

/**
 * scrypt (memory-hard) on a pool of niced threads (KdfPool), so hashing never blocks the event
 * loop nor takes a core from it. Stored as `scrypt$N$r$p$salt$hash` (base64), so the cost can rise later without
 * breaking old hashes.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 };
/**
 * Initial passwords are 58-bit random secrets, not human choices: a cheaper cost keeps
 * seeding ~3,300 accounts to seconds while an offline search of 2^57 guesses, each still
 * needing 1 MiB of memory, stays out of reach. Replaced by the full cost at first change.
 */
const INITIAL_COST = { N: 2 ** 10, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

const pool = new KdfPool();

function scrypt(password: string, salt: Buffer, options: { N: number; r: number; p: number }): Promise<Buffer> {
  return pool.scrypt({
    password: password.normalize('NFKC'),
    salt,
    keyLength: KEY_LENGTH,
    options: { N: options.N, r: options.r, p: options.p, maxmem: MAX_MEMORY },
  });
}

export async function hashPassword(
  password: string,
  cost: ScryptOptions & { N: number; r: number; p: number } = COST,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** For system-generated initial passwords only (see INITIAL_COST). */
export function hashInitialPassword(password: string): Promise<string> {
  return hashPassword(password, INITIAL_COST);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Whether a stored hash was made at the full cost (an initial password's is cheaper). */
export function hasFullCost(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme === 'scrypt' && Number(n) >= COST.N && Number(r) >= COST.r && Number(p) >= COST.p;
}

/** Two passwords compared as the hash compares them (NFKC), in time independent of where they differ. */
export function samePassword(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value.normalize('NFKC')).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** A full-cost hash that no password matches, to spend the same work where there is no real one. */
export const UNMATCHABLE_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${randomBytes(16).toString('base64')}$${randomBytes(KEY_LENGTH).toString('base64')}`;
