// The console's one door to the gateway: sends the Bearer token, turns `{code, message}`
// errors into ApiError (message in Chinese, shown as is), and tells the app when the
// session ended (401) or the password must be changed first (403 PASSWORD_CHANGE_REQUIRED).
import { saveBlob } from '../client/actions/download';

export const API = '/api/v1';
const TOKEN_KEY = 'gsr-console-token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Listener = (event: 'logout' | 'password-change') => void;
let listener: Listener = () => undefined;
export function onSessionEvent(next: Listener): void {
  listener = next;
}

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string): void => sessionStorage.setItem(TOKEN_KEY, value),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const bearer = token.get();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(API + path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (response.status === 204) return undefined as T;
  const data = await response.json().catch(() => null);
  if (response.ok) return data as T;
  const error = new ApiError(
    response.status,
    data?.code ?? 'UNKNOWN',
    data?.message ?? `服务器返回错误（${response.status}），请稍后重试`,
    data?.details,
  );
  if (response.status === 401 && bearer) {
    token.clear();
    listener('logout');
  } else if (error.code === 'PASSWORD_CHANGE_REQUIRED') listener('password-change');
  throw error;
}

/**
 * 退出登录: asks the server to revoke every token of this account, then forgets the token here.
 * The token is forgotten even when the server cannot be reached (the user asked to leave).
 */
export async function logout(): Promise<void> {
  const bearer = token.get();
  if (bearer) {
    try {
      await fetch(`${API}/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${bearer}` } });
    } catch {
      // Offline: the token still expires by itself.
    }
  }
  token.clear();
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});

/** Downloads a protected file: fetch with the token, then save it under the server's name. */
export async function downloadFile(path: string, fallbackName: string): Promise<string> {
  const response = await fetch(API + path, { headers: { Authorization: `Bearer ${token.get()}` } });
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    throw new ApiError(response.status, data?.code ?? 'UNKNOWN', data?.message ?? '下载失败，请稍后重试');
  }
  const name = fileNameOf(response.headers.get('Content-Disposition')) ?? fallbackName;
  saveBlob(await response.blob(), name);
  return name;
}

/**
 * A download the server may turn into a background job instead (202 with the job, as
 * GET /forms/export does over its direct-download limit): the file saved, or the job.
 */
export async function downloadOrJob<J>(
  path: string,
  fallbackName: string,
): Promise<{ saved: string; job?: undefined } | { saved?: undefined; job: J }> {
  const response = await fetch(API + path, { headers: { Authorization: `Bearer ${token.get()}` } });
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    throw new ApiError(response.status, data?.code ?? 'UNKNOWN', data?.message ?? '下载失败，请稍后重试');
  }
  if (response.status === 202) return { job: (await response.json()) as J };
  const name = fileNameOf(response.headers.get('Content-Disposition')) ?? fallbackName;
  saveBlob(await response.blob(), name);
  return { saved: name };
}

function fileNameOf(disposition: string | null): string | null {
  const match = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  return match ? decodeURIComponent(match[1]) : null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** The record list's page: keyset paging (`next` → `after`), and whether `total` is exact. */
export interface KeysetPage<T> extends Page<T> {
  totalExact: boolean;
  next: string | null;
}
