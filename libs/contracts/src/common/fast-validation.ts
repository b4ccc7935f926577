/**
 * Hand-written checks of the hottest request types, beside their class-validator decorators.
 *
 * The validation pipe (libs/platform) costs a few hundred microseconds per request through
 * class-transformer and class-validator (most of it finding a class's rules among every
 * class's). For a type with a check here, the pipe first asks the check: when the value is
 * valid it answers the instance class-transformer would have built from it, and the
 * decorators are not run; when anything is off (or the check is unsure) it answers undefined
 * and the full validation runs, so its errors, fields and Chinese messages stay the only
 * ones. A check may therefore refuse more than the decorators, never less: it is built from
 * class-validator's own functions (isUUID, isIn, maxLength…), and each check's spec compares
 * both ways over valid and invalid inputs, and the fields it knows with the decorated ones.
 */

/** The instance for a valid `value`; undefined: let the full validation decide. */
export type FastCheck<T> = (value: unknown) => T | undefined;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const checks = new WeakMap<Function, FastCheck<unknown>>();

/**
 * Declares the fast check of exactly this class (never of a subclass, whose added rules the
 * check would not know).
 */
export function FastValidation<T>(check: FastCheck<T>): (target: new () => T) => void {
  return (target) => void checks.set(target, check);
}

/** The fast check declared for `metatype` itself, if any. */
export function fastCheckOf(metatype: unknown): FastCheck<unknown> | undefined {
  return typeof metatype === 'function' ? checks.get(metatype) : undefined;
}

/** A plain object (not an array, a Buffer, a Date…) whose keys are all among `allowed`. */
export function hasOnlyKeys(value: unknown, allowed: ReadonlySet<string>): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key of Object.keys(value)) if (!allowed.has(key)) return false;
  return true;
}
