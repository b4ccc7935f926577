import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * Every setting the system reads, from environment variables of the same name. Validated
 * when an app boots: a bad value stops the boot with a message naming the variable.
 * This file and `loadConfig` are the only places that read `process.env`.
 */
export class AppConfig {
  /** HTTP port of the gateway. */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Where the embedded default keeps its database, objects, mail outbox and keys. */
  @IsString()
  DATA_DIR = './.data';

  /** NATS server(s), comma separated. Unset: the in-process transport (one process only). */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^(nats|tls|ws|wss):\/\/[^,\s]+(,(nats|tls|ws|wss):\/\/[^,\s]+)*$/, {
    message: 'NATS_URL 应为 nats://主机:端口（多个用逗号分隔）',
  })
  NATS_URL?: string;

  /** Prepended to every subject (`<prefix>.identity.health.check`): isolates test runs or tenants on one NATS. */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^[a-zA-Z0-9_-]+$/, { message: 'BUS_SUBJECT_PREFIX 只能包含字母、数字、- 和 _' })
  BUS_SUBJECT_PREFIX?: string;

  /** How long a bus request may wait for its reply before the caller reports 503. */
  @IsInt()
  @Min(100)
  @Max(600000)
  BUS_TIMEOUT_MS = 10000;

  /** PostgreSQL. Unset under `npm start`: an embedded PostgreSQL under DATA_DIR. */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL 应为 postgres://…' })
  DATABASE_URL?: string;

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** S3-compatible object storage (MinIO). Unset under `npm start`: s3rver under DATA_DIR. */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^https?:\/\/[^/\s]+\/?$/, { message: 'S3_ENDPOINT 应为 http(s)://主机:端口' })
  S3_ENDPOINT?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  S3_ACCESS_KEY?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  S3_SECRET_KEY?: string;

  @IsString()
  S3_REGION = 'us-east-1';

  /** Bucket names are `<prefix>-packages`, `<prefix>-files`. */
  @Matches(/^[a-z0-9][a-z0-9-]{1,40}$/, { message: 'S3_BUCKET_PREFIX 只能包含小写字母、数字和 -' })
  S3_BUCKET_PREFIX = 'gsr';

  @IsIn(['debug', 'info', 'warn', 'error', 'silent'])
  LOG_LEVEL: LogLevelName = 'info';

  /** Signs access tokens. Unset under `npm start`: generated once into DATA_DIR. */
  @IsOptional()
  @Transform(trimmed)
  @MinLength(32, { message: 'JWT_SECRET 至少 32 个字符' })
  JWT_SECRET?: string;

  /** 64 hex characters (AES-256 key) for encrypted fields. Unset under `npm start`: generated into DATA_DIR. */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'ENCRYPTION_KEY 应为 64 位十六进制（256 位密钥）' })
  ENCRYPTION_KEY?: string;

  /** SMTP server for mail, e.g. smtp://user:pass@mail.example.gov.cn:587. Unset: .eml files under DATA_DIR/mail. */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL 应为 smtp://… 或 smtps://…' })
  SMTP_URL?: string;

  /** Sender of system mail. */
  @IsString()
  MAIL_FROM = '全国政府网站信息报送系统 <noreply@localhost>';

  /** An import job's lease: another intake replica takes the job over once it expires. */
  @IsInt()
  @Min(1000)
  @Max(3600000)
  IMPORT_LEASE_MS = 60000;

  /** Largest package accepted for upload, bytes (100 MiB). */
  @IsInt()
  @Min(1024)
  @Max(1073741824)
  IMPORT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

  /** Lifetime of an access token, seconds. */
  @IsInt()
  @Min(60)
  @Max(86400)
  ACCESS_TOKEN_TTL_SECONDS = 1800;

  /**
   * Which preset tree hierarchy seeds on first start: `national` (every unit of the country) or
   * `sample` (国务院办公厅 and a handful of real units around 河北省, for demos, training and tests).
   */
  @IsIn(['national', 'sample'], { message: 'PRESET_TREE 应为 national 或 sample' })
  PRESET_TREE: PresetTreeName = 'national';

  /** First start only: passwords of bm0100, support and auditor. Unset: random, printed once. */
  @IsOptional()
  @Transform(trimmed)
  @MinLength(8, { message: 'ROOT_PASSWORD 至少 8 个字符' })
  ROOT_PASSWORD?: string;

  @IsOptional()
  @Transform(trimmed)
  @MinLength(8, { message: 'SUPPORT_PASSWORD 至少 8 个字符' })
  SUPPORT_PASSWORD?: string;

  @IsOptional()
  @Transform(trimmed)
  @MinLength(8, { message: 'AUDITOR_PASSWORD 至少 8 个字符' })
  AUDITOR_PASSWORD?: string;
}

export type PresetTreeName = 'national' | 'sample';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误：\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const NUMERIC_KEYS = new Set([
  'PORT',
  'BUS_TIMEOUT_MS',
  'DATABASE_POOL_SIZE',
  'ACCESS_TOKEN_TTL_SECONDS',
  'IMPORT_LEASE_MS',
  'IMPORT_MAX_UPLOAD_BYTES',
]);

/** Reads and validates the configuration. Throws ConfigError naming every bad variable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const plain: Record<string, unknown> = {};
  const known = Object.keys(new AppConfig()).concat([
    'NATS_URL',
    'BUS_SUBJECT_PREFIX',
    'DATABASE_URL',
    'S3_ENDPOINT',
    'S3_ACCESS_KEY',
    'S3_SECRET_KEY',
    'JWT_SECRET',
    'ENCRYPTION_KEY',
    'SMTP_URL',
    'ROOT_PASSWORD',
    'SUPPORT_PASSWORD',
    'AUDITOR_PASSWORD',
  ]);
  for (const key of known) {
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    plain[key] = NUMERIC_KEYS.has(key) && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
  }
  const config = plainToInstance(AppConfig, { ...plain, ...overrides });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('；')}`));
  }
  return config;
}
