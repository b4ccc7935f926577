/**
 * Message headers as the in-process transport carries them. Same reading API as the
 * NATS client's MsgHdrs (`get` returns '' when absent), so handlers read either alike.
 */
export class InProcessHeaders {
  constructor(private readonly values: Record<string, string> = {}) {}

  get(key: string): string {
    return this.values[key.toLowerCase()] ?? '';
  }

  set(key: string, value: string): void {
    this.values[key.toLowerCase()] = value;
  }

  has(key: string): boolean {
    return key.toLowerCase() in this.values;
  }

  toRecord(): Record<string, string> {
    return { ...this.values };
  }
}

/** Reads one header from either transport's header object. */
export function readHeader(headers: unknown, key: string): string | undefined {
  if (!headers || typeof (headers as { get?: unknown }).get !== 'function') return undefined;
  const value = (headers as { get(k: string): string }).get(key);
  return value === '' ? undefined : value;
}
