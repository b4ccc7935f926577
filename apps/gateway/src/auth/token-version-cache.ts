/** Where the cache gets an account's current token version on a miss (null: no such account). */
export type VersionSource = (accountId: string) => Promise<number | null>;

interface Entry {
  version: number | null;
  expiresAt: number;
}

export interface TokenVersionCacheOptions {
  /** How long a version is trusted without asking again; 0 asks on every request. */
  ttlMs: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The gateway's memory of each account's current token version, so a request does not cost a
 * bus round trip. Versions only grow, so the cache never lowers one: an event's version stands
 * even against an answer to a question asked before it. Concurrent misses of one account share
 * one question. When the source fails (identity down), a version known before is used: only
 * identity raises versions, so while it is down none can have changed.
 */
export class TokenVersionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<number | null>>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly source: VersionSource,
    private readonly options: TokenVersionCacheOptions,
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The account's current token version (null: the account does not exist). */
  async current(accountId: string): Promise<number | null> {
    const entry = this.entries.get(accountId);
    if (entry && entry.expiresAt > this.now()) return entry.version;
    const asked = this.pending.get(accountId) ?? this.ask(accountId);
    let version: number | null;
    try {
      version = await asked;
    } catch (err) {
      if (entry) return entry.version;
      throw err;
    }
    // An event may have raised the version while the question was out.
    return version === null ? null : higher(this.entries.get(accountId)?.version, version);
  }

  /** A revocation announced by identity: older tokens are refused from now on. */
  raise(accountId: string, version: number): void {
    this.store(accountId, higher(this.entries.get(accountId)?.version, version));
    // An answer still on its way predates this version: it must not be cached over it.
    this.pending.delete(accountId);
  }

  /** Forget what is known: the next request asks identity (after this replica revoked tokens itself). */
  forget(accountId: string): void {
    this.entries.delete(accountId);
    this.pending.delete(accountId);
  }

  get size(): number {
    return this.entries.size;
  }

  private ask(accountId: string): Promise<number | null> {
    const asked = this.source(accountId).then((version) => {
      if (this.pending.get(accountId) === asked) {
        this.pending.delete(accountId);
        this.store(accountId, version === null ? null : higher(this.entries.get(accountId)?.version, version));
      }
      return version;
    });
    asked.catch(() => {
      if (this.pending.get(accountId) === asked) this.pending.delete(accountId);
    });
    this.pending.set(accountId, asked);
    return asked;
  }

  private store(accountId: string, version: number | null): void {
    this.entries.delete(accountId);
    this.entries.set(accountId, { version, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function higher(known: number | null | undefined, version: number): number {
  return known != null && known > version ? known : version;
}
