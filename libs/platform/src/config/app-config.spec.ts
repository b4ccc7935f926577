import { generateKeyPairSync } from 'node:crypto';
import { generateActorKeyPair } from '../bus/actor-assertion';
import { ConfigError, describeSettings, loadConfig, loadSettings } from './app-config';
import {
  ActorSigningSettings,
  ActorVerificationSettings,
  ALL_SETTINGS,
  AuditSettings,
  BASE_SETTINGS,
  BusSettings,
  DatabaseSettings,
  EncryptionSettings,
  JwtSettings,
  SessionSettings,
  placeholderIn,
  StorageSettings,
  trustedProxies,
} from './settings';

const ACTOR_KEYS = generateActorKeyPair();

/** What `loadConfig` (every section) needs besides its defaults. */
const REQUIRED = {
  BUS_ACTOR_PRIVATE_KEY: ACTOR_KEYS.privateKey,
  BUS_ACTOR_PUBLIC_KEY: ACTOR_KEYS.publicKey,
  DATABASE_URL: 'postgres://u@h/db',
  S3_ENDPOINT: 'http://127.0.0.1:9000',
  S3_ACCESS_KEY: 'key',
  S3_SECRET_KEY: 'secret',
  JWT_SECRET: 'x'.repeat(32),
  ENCRYPTION_KEY: 'ab'.repeat(32),
};

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe('loadSettings', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(REQUIRED);
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './.data',
      BUS_TIMEOUT_MS: 10000,
      LOG_LEVEL: 'info',
      S3_BUCKET_PREFIX: 'gsr',
      IMPORT_MAX_UPLOAD_BYTES: 104857600,
      PRESET_TREE: 'national',
    });
    expect(config.NATS_URL).toBeUndefined();
  });

  it('reads numbers and URLs from the environment', () => {
    const config = loadConfig({
      ...REQUIRED,
      PORT: '3100',
      NATS_URL: 'nats://127.0.0.1:4222,nats://10.0.0.2:4222',
    });
    expect(config.PORT).toBe(3100);
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222,nats://10.0.0.2:4222');
    expect(loadConfig({ ...REQUIRED, PRESET_TREE: 'sample' }).PRESET_TREE).toBe('sample');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '1.5'],
    ['HEALTH_PORT', '70000'],
    ['BUS_DOWN_RESTART_SECONDS', '-1'],
    ['NATS_URL', 'http://x'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['JWT_SECRET', 'short'],
    ['ENCRYPTION_KEY', 'not-hex'],
    ['ROOT_PASSWORD', '1234'],
    ['BUS_SUBJECT_PREFIX', 'a.b'],
    ['PRESET_TREE', 'province'],
    ['TRUST_PROXY', 'proxy.example.gov.cn'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '10.0.0.1,*'],
    ['LOGIN_CLIENT_MAX_FAILURES', '0'],
    ['NATS_USER', 'a b'],
    ['BUS_ACTOR_PRIVATE_KEY', 'not-a-key'],
    ['BUS_ACTOR_PUBLIC_KEY', 'not-a-key'],
    ['BUS_ACTOR_PRIVATE_KEY', ACTOR_KEYS.publicKey],
    ['BUS_ACTOR_PUBLIC_KEY', ACTOR_KEYS.privateKey],
  ])('refuses %s=%s, naming the variable', (key, value) => {
    const problems = problemsOf(() => loadConfig({ ...REQUIRED, [key]: value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(key);
  });

  it.each([
    ['JWT_SECRET', 'change-me-change-me-change-me-change-me'],
    ['JWT_SECRET', 'CHANGE-ME-TO-32-OR-MORE-RANDOM-CHARACTERS'],
    ['S3_SECRET_KEY', 'change-me-too'],
    ['S3_SECRET_KEY', 'PLACEHOLDER'],
    ['NATS_PASSWORD', 'CHANGE_ME'],
    ['DATABASE_URL', 'postgres://gsr:change-me@postgres:5432/gsr'],
    ['DATABASE_URL', 'postgres://gsr:REPLACE-ME@postgres:5432/gsr'],
    ['ROOT_PASSWORD', 'changeme1'],
    ['SMTP_URL', 'smtp://mailer:change-me@mail.example.gov.cn:587'],
  ])('refuses the shipped placeholder %s=%s at boot, naming the variable in Chinese and English', (key, value) => {
    const problems = problemsOf(() => loadConfig({ ...REQUIRED, [key]: value }));
    expect(problems).toEqual([expect.stringContaining(`${key} 仍是占位值`)]);
    expect(problems[0]).toContain(`${key} still holds a placeholder`);
    expect(problems[0]).not.toContain(value);
  });

  it('takes real secrets that merely contain placeholder-like words', () => {
    const config = loadConfig({
      ...REQUIRED,
      JWT_SECRET: 'k3Ls9-exchange-mentor-Q8zPp0vW2rT5yU7iO1',
      DATABASE_URL: 'postgres://gsr_identity:Zq8s0LxPw@postgres:5432/gsr',
      S3_SECRET_KEY: 'secret-7f3a91c2',
    });
    expect(config.JWT_SECRET).toBe('k3Ls9-exchange-mentor-Q8zPp0vW2rT5yU7iO1');
    expect(placeholderIn('postgres://u:change-me@h/db')).toBe(true);
    expect(placeholderIn('postgres://change-me.example:5432/db')).toBe(true);
    expect(placeholderIn('postgres://u:s3cr3t@h/db')).toBe(false);
  });

  it('takes TRUST_PROXY as addresses, CIDRs and Express range names; unset trusts no proxy', () => {
    const config = loadConfig({ ...REQUIRED, TRUST_PROXY: ' 10.0.0.5, 10.1.0.0/16,fd00::/8 ,loopback' });
    expect(trustedProxies(config.TRUST_PROXY)).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8', 'loopback']);
    expect(trustedProxies(loadConfig(REQUIRED).TRUST_PROXY)).toBe(false);
  });

  it('names every required setting that is unset, and only those', () => {
    const problems = problemsOf(() => loadConfig({}));
    expect(problems.sort()).toEqual(
      Object.keys(REQUIRED)
        .map((key) => `${key}: 未设置`)
        .sort(),
    );
  });

  it('reads only the sections asked for: an app without a database needs no DATABASE_URL', () => {
    const config = loadSettings([...BASE_SETTINGS, JwtSettings], { JWT_SECRET: 'y'.repeat(32) });
    expect(config).toEqual({
      BUS_TIMEOUT_MS: 10000,
      LOG_LEVEL: 'info',
      BUS_DOWN_RESTART_SECONDS: 300,
      JWT_SECRET: 'y'.repeat(32),
    });
    expect(problemsOf(() => loadSettings([DatabaseSettings, EncryptionSettings], {}))).toEqual([
      'DATABASE_URL: 未设置',
      'ENCRYPTION_KEY: 未设置',
    ]);
  });

  it('lets the launcher read what is given before it fills in the rest, still checking given values', () => {
    expect(loadSettings([StorageSettings], {}, {}, { allowMissing: true }).S3_ENDPOINT).toBeUndefined();
    expect(
      problemsOf(() => loadSettings([StorageSettings], { S3_ENDPOINT: 'ftp://x' }, {}, { allowMissing: true })),
    ).toEqual([expect.stringContaining('S3_ENDPOINT')]);
  });

  it('requires an optional setting when the run needs it, saying why', () => {
    expect(
      problemsOf(() => loadSettings([BusSettings], {}, {}, { require: { NATS_URL: '须通过 NATS 通信' } })),
    ).toEqual(['NATS_URL: 须通过 NATS 通信']);
  });

  it('lets overrides win over the environment, and treats empty variables as unset', () => {
    const config = loadConfig({ ...REQUIRED, NATS_URL: '', PORT: '3100' }, { PORT: 0 });
    expect(config.NATS_URL).toBeUndefined();
    expect(config.PORT).toBe(0);
    expect(problemsOf(() => loadConfig({ ...REQUIRED, DATABASE_URL: '  ' }))).toEqual(['DATABASE_URL: 未设置']);
  });

  it('takes the actor keys as PEM or base64 DER, refuses other kinds of key, and never repeats a key in a message', () => {
    const pem = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
      publicKeyEncoding: { format: 'pem', type: 'spki' },
    });
    expect(
      loadSettings([ActorSigningSettings, ActorVerificationSettings], {
        BUS_ACTOR_PRIVATE_KEY: pem.privateKey,
        BUS_ACTOR_PUBLIC_KEY: pem.publicKey,
      }),
    ).toEqual({ BUS_ACTOR_PRIVATE_KEY: pem.privateKey.trim(), BUS_ACTOR_PUBLIC_KEY: pem.publicKey.trim() });
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
      publicKeyEncoding: { format: 'pem', type: 'spki' },
    });
    const problems = problemsOf(() =>
      loadSettings([ActorSigningSettings, ActorVerificationSettings], {
        BUS_ACTOR_PRIVATE_KEY: rsa.privateKey,
        BUS_ACTOR_PUBLIC_KEY: rsa.publicKey,
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining('BUS_ACTOR_PRIVATE_KEY'),
      expect.stringContaining('BUS_ACTOR_PUBLIC_KEY'),
    ]);
    expect(problems.join('\n')).not.toContain('BEGIN');
  });

  it('keeps the audit log 180 days by default and refuses less at boot', () => {
    expect(loadSettings([AuditSettings], {}).AUDIT_RETENTION_DAYS).toBe(180);
    expect(loadSettings([AuditSettings], { AUDIT_RETENTION_DAYS: '365' }).AUDIT_RETENTION_DAYS).toBe(365);
    expect(problemsOf(() => loadSettings([AuditSettings], { AUDIT_RETENTION_DAYS: '179' }))).toEqual([
      'AUDIT_RETENTION_DAYS: AUDIT_RETENTION_DAYS 不能少于 180 天',
    ]);
    expect(problemsOf(() => loadSettings([AuditSettings], { AUDIT_RETENTION_DAYS: '半年' }))).toHaveLength(1);
  });

  it('takes previous JWT secrets and field keys as comma-separated lists, refusing short, malformed or placeholder entries', () => {
    const secret = 'p'.repeat(32);
    const key = 'ab'.repeat(32);
    expect(
      loadSettings([SessionSettings], { JWT_PREVIOUS_SECRETS: `${secret}, ${'q'.repeat(40)}` }).JWT_PREVIOUS_SECRETS,
    ).toBe(`${secret}, ${'q'.repeat(40)}`);
    expect(problemsOf(() => loadSettings([SessionSettings], { JWT_PREVIOUS_SECRETS: `${secret},short` }))).toEqual([
      'JWT_PREVIOUS_SECRETS: JWT_PREVIOUS_SECRETS 应为以逗号分隔的旧密钥，每个至少 32 个字符',
    ]);
    expect(
      problemsOf(() => loadSettings([SessionSettings], { JWT_PREVIOUS_SECRETS: `REPLACE-ME-${secret}` })),
    ).toHaveLength(1);
    const fields = { ENCRYPTION_KEY: 'cd'.repeat(32) };
    expect(
      loadSettings([EncryptionSettings], { ...fields, ENCRYPTION_PREVIOUS_KEYS: `${key},${'ef'.repeat(32)}` })
        .ENCRYPTION_PREVIOUS_KEYS,
    ).toBe(`${key},${'ef'.repeat(32)}`);
    expect(
      problemsOf(() => loadSettings([EncryptionSettings], { ...fields, ENCRYPTION_PREVIOUS_KEYS: `${key},abcd` })),
    ).toEqual(['ENCRYPTION_PREVIOUS_KEYS: ENCRYPTION_PREVIOUS_KEYS 应为以逗号分隔的 64 位十六进制密钥']);
  });

  it('declares each setting once across all sections', () => {
    const names = ALL_SETTINGS.flatMap((section) => describeSettings(section).map((setting) => setting.name));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('MAIL_FROM');
  });
});
