import { createHash } from 'node:crypto';

/** How many sites an inspection (抽查) takes: a percentage of the population or a number of them. */
export type SampleSize = { percent: number } | { count: number };

/** Why a sample size or seed cannot be used (Chinese, for the person who typed it), or null. */
export function sampleProblem(size: SampleSize, seed: string): string | null {
  if ('percent' in size) {
    if (!Number.isFinite(size.percent) || size.percent <= 0 || size.percent > 100)
      return '抽查比例应大于0且不超过100（%）';
  } else if (!Number.isInteger(size.count) || size.count < 1) return '抽查数量应为不小于1的整数';
  if (seed.length < 1 || seed.length > 64) return '随机种子应为1–64个字符';
  return null;
}

/** How many of `population` sites the size asks for: a percentage rounds up, a count is capped. */
export function sampleCount(population: number, size: SampleSize): number {
  if (population === 0) return 0;
  if ('count' in size) return Math.min(size.count, population);
  // 1e-9: 10 % of 30 is 3, not 4 because 30 × 10 / 100 came out as 3.0000000000000004.
  return Math.min(population, Math.max(1, Math.ceil((population * size.percent) / 100 - 1e-9)));
}

/**
 * A reproducible random sample (抽查): each site is ranked by SHA-256 of the seed and its 标识码,
 * and the lowest ranks are taken. The same seed and the same sites give the same sample on any
 * machine and in any release, whatever order the sites come in; a site added to the population
 * does not reshuffle the others (it only takes a place if its own rank is low enough). Answers
 * the chosen 标识码 in ascending order.
 */
export function drawSample(siteCodes: readonly string[], size: SampleSize, seed: string): string[] {
  const problem = sampleProblem(size, seed);
  if (problem) throw new RangeError(problem);
  const population = [...new Set(siteCodes)];
  const ranked = population
    .map((code) => ({ code, rank: createHash('sha256').update(`${seed}\n${code}`).digest('hex') }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  return ranked
    .slice(0, sampleCount(population.length, size))
    .map((entry) => entry.code)
    .sort();
}
