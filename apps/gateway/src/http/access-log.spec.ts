import { accessLine, pathOnly, routeTemplate } from './access-log';

describe('access log', () => {
  it('logs the path without its query string or fragment', () => {
    expect(pathOnly('/api/v1/auth/login?password=Secret-1&token=abc')).toBe('/api/v1/auth/login');
    expect(pathOnly('/api/v1/imports/1#x')).toBe('/api/v1/imports/1');
    expect(pathOnly('/')).toBe('/');
    expect(pathOnly(`/${'a'.repeat(400)}`)).toHaveLength(301);
  });

  it('labels a request by its route template, never by its raw path', () => {
    expect(routeTemplate({ baseUrl: '', route: { path: '/api/v1/imports/:id' } })).toBe('/api/v1/imports/:id');
    expect(routeTemplate({ baseUrl: '/api', route: { path: '/x/:id' } })).toBe('/api/x/:id');
    expect(routeTemplate({ baseUrl: '' })).toBe('unmatched');
  });

  it('writes one JSON object with the request’s fields', () => {
    const line = accessLine({
      method: 'POST',
      path: '/api/v1/auth/login',
      route: '/api/v1/auth/login',
      status: 401,
      ms: 12.5,
      bytes: 80,
      requestId: 'r-1',
    });
    expect(line).toEqual({
      msg: 'http request',
      method: 'POST',
      path: '/api/v1/auth/login',
      route: '/api/v1/auth/login',
      status: 401,
      ms: 12.5,
      bytes: 80,
      requestId: 'r-1',
    });
  });
});
