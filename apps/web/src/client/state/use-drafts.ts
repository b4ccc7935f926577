// The drafts as React state, mirrored to the store. Writes are queued so they reach
// IndexedDB in the order they were made; `saved` tells the page when the last one landed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SiteForm } from '@app/forms';
import { DraftStore, openDraftStore } from './drafts-db';

export type SaveState = 'loading' | 'saving' | 'saved' | 'failed';

export interface Drafts {
  forms: SiteForm[];
  persistent: boolean;
  saveState: SaveState;
  put(forms: SiteForm[]): void;
  remove(id: string): void;
}

export function useDrafts(): Drafts {
  const [forms, setForms] = useState<SiteForm[]>([]);
  const [saveState, setSaveState] = useState<SaveState>('loading');
  const [persistent, setPersistent] = useState(true);
  const store = useRef<DraftStore | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const pending = useRef(0);

  useEffect(() => {
    void openDraftStore().then(async (opened) => {
      store.current = opened;
      setPersistent(opened.persistent);
      setForms(sortForms(await opened.list()));
      setSaveState('saved');
    });
  }, []);

  const enqueue = useCallback((work: (store: DraftStore) => Promise<void>) => {
    pending.current += 1;
    setSaveState('saving');
    queue.current = queue.current
      .then(() => (store.current ? work(store.current) : undefined))
      .then(
        () => {
          pending.current -= 1;
          if (pending.current === 0) setSaveState('saved');
        },
        () => {
          pending.current -= 1;
          setSaveState('failed');
        },
      );
  }, []);

  const put = useCallback(
    (changed: SiteForm[]) => {
      setForms((current) => {
        const byId = new Map(current.map((form) => [form.id, form]));
        for (const form of changed) byId.set(form.id, form);
        return sortForms([...byId.values()]);
      });
      enqueue((opened) => opened.put(changed));
    },
    [enqueue],
  );

  const remove = useCallback(
    (id: string) => {
      setForms((current) => current.filter((form) => form.id !== id));
      enqueue((opened) => opened.remove(id));
    },
    [enqueue],
  );

  return { forms, persistent, saveState, put, remove };
}

/** Most recently edited first. */
function sortForms(forms: SiteForm[]): SiteForm[] {
  return [...forms].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || a.id.localeCompare(b.id));
}
