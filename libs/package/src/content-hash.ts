// Node only (node:crypto): imported as @app/package/content-hash by the services, never from the browser-safe index.
import { createHash } from 'node:crypto';

/** Stable JSON (sorted keys) of a form's content, ignoring `updatedAt` (when, not what). */
export function canonicalContent(form: Record<string, unknown>): string {
  const { updatedAt: _updatedAt, ...content } = form;
  return stableStringify(content);
}

export function contentHash(form: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalContent(form)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
