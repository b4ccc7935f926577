// Drafts live in the browser's IndexedDB, so they survive a reload or a closed browser. When
// IndexedDB is unavailable (some locked-down browsers), drafts stay in memory and the page
// says so.
import type { SiteForm } from '@app/forms';

export interface DraftStore {
  /** False when drafts are only kept in memory. */
  readonly persistent: boolean;
  list(): Promise<SiteForm[]>;
  put(forms: SiteForm[]): Promise<void>;
  remove(id: string): Promise<void>;
}

const DB_NAME = 'gov-site-report-offline-client';
const STORE = 'forms';

export async function openDraftStore(): Promise<DraftStore> {
  try {
    return indexedDbStore(await openDatabase());
  } catch {
    return memoryStore();
  }
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('no IndexedDB'));
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB blocked'));
  });
}

function indexedDbStore(db: IDBDatabase): DraftStore {
  const run = <T>(
    mode: IDBTransactionMode,
    work: (store: IDBObjectStore) => IDBRequest<T> | void,
  ): Promise<T | undefined> =>
    new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  return {
    persistent: true,
    list: async () => ((await run('readonly', (store) => store.getAll())) ?? []) as SiteForm[],
    put: async (forms) => {
      await run('readwrite', (store) => {
        for (const form of forms) store.put(form);
      });
    },
    remove: async (id) => {
      await run('readwrite', (store) => store.delete(id));
    },
  };
}

function memoryStore(): DraftStore {
  const forms = new Map<string, SiteForm>();
  return {
    persistent: false,
    list: async () => [...forms.values()],
    put: async (items) => items.forEach((form) => forms.set(form.id, form)),
    remove: async (id) => void forms.delete(id),
  };
}
