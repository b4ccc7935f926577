/** A small client for the gateway's HTTP API, as the console and outside tools use it. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
    /** Sent with every request (e.g. X-Forwarded-For, see `from`). */
    readonly extraHeaders: Record<string, string> = {},
  ) {}

  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token, this.extraHeaders);
  }

  /**
   * The same client as if behind a proxy that names `address` in X-Forwarded-For: a client of
   * its own when the gateway trusts the test's loopback as a proxy (TRUST_PROXY=127.0.0.1).
   */
  from(address: string): ApiClient {
    return new ApiClient(this.baseUrl, this.token, { ...this.extraHeaders, 'x-forwarded-for': address });
  }

  /** Logs in and returns a client carrying the token (throws unless 200). */
  async login(username: string, password: string): Promise<ApiClient> {
    const res = await this.post('/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.withToken(res.body.accessToken);
  }

  /** 网站登录（自查评分）: a client acting as the site (role SITE). */
  async siteLogin(siteCode: string, checkCode: string): Promise<ApiClient> {
    const res = await this.post('/site-auth/login', { siteCode, checkCode });
    if (res.status !== 200) throw new Error(`site login ${siteCode} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.withToken(res.body.accessToken);
  }

  get<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.send('GET', path);
  }

  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.send('POST', path, body);
  }

  put<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.send('PUT', path, body);
  }

  delete<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.send('DELETE', path);
  }

  /** Uploads a file as the console does: multipart/form-data with the one field `file`. */
  async upload<T = any>(path: string, bytes: Uint8Array, fileName: string): Promise<ApiResponse<T>> {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(bytes)]), fileName);
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, { method: 'POST', headers: this.headers(), body: form });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  async download(path: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, { headers: this.headers() });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { ...this.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  private headers(): Record<string, string> {
    return { ...this.extraHeaders, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }
}

/** Polls until the condition holds (for work the system finishes in the background). */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
