/**
 * The monitoring schedule, a pure function of the site's code and the time: no state, so every
 * replica computes the same slots, and a restart neither skips nor repeats one.
 *
 * - The homepage is visited `perDay` times per Beijing day, every `86 400 000 / perDay` ms,
 *   starting at an offset within that interval taken from a hash of the 标识码: sites are spread
 *   evenly over the interval instead of all being fetched at the top of the hour.
 * - Each registered 栏目 and the homepage's links are checked once a day, at an offset within
 *   the day hashed from the site and the URL (or `links`).
 */

export const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** FNV-1a over the UTF-16 code units: a stable 32-bit hash (the same in every release). */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 00:00 Beijing time of the Beijing day containing `at`, in epoch ms. */
export function beijingDayStart(at: number): number {
  return Math.floor((at + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

/** The interval between two homepage visits of a site. */
export function homepageIntervalMs(perDay: number): number {
  return Math.floor(DAY_MS / perDay);
}

/** The first homepage slot of `siteCode` strictly after `after` (epoch ms). */
export function nextHomepageSlot(siteCode: string, perDay: number, after: number): number {
  const interval = homepageIntervalMs(perDay);
  const offset = stableHash(siteCode) % interval;
  for (let dayStart = beijingDayStart(after); ; dayStart += DAY_MS) {
    const k = Math.max(0, Math.floor((after - dayStart - offset) / interval) + 1);
    if (k < perDay) return dayStart + offset + k * interval;
  }
}

/** The first daily slot of `key` (site and URL) strictly after `after` (epoch ms). */
export function nextDailySlot(key: string, after: number): number {
  const offset = stableHash(key) % DAY_MS;
  const today = beijingDayStart(after) + offset;
  return today > after ? today : today + DAY_MS;
}

/** The key of a daily task's slot: the site, the task kind and its target. */
export function dailyKey(siteCode: string, kind: string, target: string): string {
  return `${siteCode}\n${kind}\n${target}`;
}
