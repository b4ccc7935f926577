// Hash routing (#/records/…): the gateway serves one page at `/`, nothing else to configure.
import { useEffect, useState } from 'react';

export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

let flash: string | null = null;

/** Goes to `path`; `message` is shown once by the screen there (e.g. 已删除… on the list). */
export function go(path: string, message?: string): void {
  flash = message ?? null;
  location.hash = `#/${path}`;
}

/** The message the last go() left for the screen it opened, once. */
export function takeFlash(): string | null {
  const message = flash;
  flash = null;
  return message;
}
