import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './.data',
      BUS_TIMEOUT_MS: 10000,
      LOG_LEVEL: 'info',
      S3_BUCKET_PREFIX: 'gsr',
      PRESET_TREE: 'national',
    });
    expect(config.NATS_URL).toBeUndefined();
  });

  it('reads numbers and URLs from the environment', () => {
    const config = loadConfig({
      PORT: '3100',
      NATS_URL: 'nats://127.0.0.1:4222,nats://10.0.0.2:4222',
      DATABASE_URL: 'postgres://u@h/db',
    });
    expect(config.PORT).toBe(3100);
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222,nats://10.0.0.2:4222');
    expect(loadConfig({ PRESET_TREE: 'sample' }).PRESET_TREE).toBe('sample');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['NATS_URL', 'http://x'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['JWT_SECRET', 'short'],
    ['ENCRYPTION_KEY', 'not-hex'],
    ['ROOT_PASSWORD', '1234'],
    ['BUS_SUBJECT_PREFIX', 'a.b'],
    ['PRESET_TREE', 'province'],
  ])('refuses %s=%s, naming the variable', (key, value) => {
    let error: unknown;
    try {
      loadConfig({ [key]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toContain(key);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ NATS_URL: '', DATABASE_URL: '  ' }).DATABASE_URL).toBeUndefined();
  });
});
