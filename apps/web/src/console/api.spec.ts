import { api, ApiError, logout, onSessionEvent, token } from './api';

const store = new Map<string, string>();
Object.assign(globalThis, {
  sessionStorage: {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
    removeItem: (k: string) => store.delete(k),
  },
});

function answer(status: number, body: unknown) {
  const fetchMock = jest.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status }));
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

describe('api', () => {
  let events: string[];
  beforeEach(() => {
    store.clear();
    events = [];
    onSessionEvent((event) => events.push(event));
  });

  it('sends the Bearer token and JSON, and returns the answer', async () => {
    token.set('abc');
    const fetchMock = answer(200, { ok: 1 });
    await expect(api('POST', '/forms/submit-all', { a: 1 })).resolves.toEqual({ ok: 1 });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/forms/submit-all');
    expect(init.headers).toEqual({ Authorization: 'Bearer abc', 'Content-Type': 'application/json' });
    expect(init.body).toBe('{"a":1}');
  });

  it('turns an error envelope into an ApiError carrying the server message', async () => {
    answer(409, { code: 'RECORD_STATE_CONFLICT', message: '记录已被其他操作改变，请刷新后重试' });
    const error = await api('POST', '/forms/x/approve').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'RECORD_STATE_CONFLICT',
      message: '记录已被其他操作改变，请刷新后重试',
    });
  });

  it('says so in Chinese when the answer is not an envelope or the network fails', async () => {
    answer(502, undefined);
    await expect(api('GET', '/me')).rejects.toThrow('服务器返回错误（502），请稍后重试');
    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(api('GET', '/me')).rejects.toThrow('无法连接服务器，请检查网络后重试');
  });

  it('ends the session on 401 and asks for the password change on 403 PASSWORD_CHANGE_REQUIRED', async () => {
    token.set('expired');
    answer(401, { code: 'UNAUTHORIZED', message: '请先登录' });
    await expect(api('GET', '/forms')).rejects.toThrow('请先登录');
    expect(token.get()).toBeNull();
    token.set('fresh');
    answer(403, { code: 'PASSWORD_CHANGE_REQUIRED', message: '请先修改初始密码' });
    await expect(api('GET', '/forms')).rejects.toThrow('请先修改初始密码');
    expect(events).toEqual(['logout', 'password-change']);
  });

  it('logs out on the server with the token, then forgets it here', async () => {
    token.set('abc');
    const stored: Array<string | null> = [];
    const fetchMock = jest.fn(async () => {
      stored.push(token.get());
      return new Response(null, { status: 204 });
    });
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    await logout();
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect([url, init.method, init.headers]).toEqual(['/api/v1/auth/logout', 'POST', { Authorization: 'Bearer abc' }]);
    expect(stored).toEqual(['abc']);
    expect(token.get()).toBeNull();
    expect(events).toEqual([]);
  });

  it('forgets the token on logout even when the server cannot be reached or already ended the session', async () => {
    token.set('abc');
    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await logout();
    expect(token.get()).toBeNull();
    token.set('revoked');
    answer(401, { code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
    await logout();
    expect(token.get()).toBeNull();
  });

  it('does not announce a logout for a failed login (no session yet)', async () => {
    answer(401, { code: 'INVALID_CREDENTIALS', message: '账号或密码错误' });
    await expect(api('POST', '/auth/login', {})).rejects.toThrow('账号或密码错误');
    expect(events).toEqual([]);
  });
});
