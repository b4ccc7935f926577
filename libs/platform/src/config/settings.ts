import { Transform } from 'class-transformer';
import { isIP } from 'node:net';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  registerDecorator,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { parseActorPrivateKey, parseActorPublicKey } from '../bus/actor-assertion';
import { FieldCipher, keyList } from '../crypto/field-cipher';

// Every setting the system reads, each declared once: its environment variable (the
// property name), its rule and its default. Settings come in sections; every app names the
// sections it needs (`apps/<app>/src/<app>.settings.ts`) and `loadSettings` validates exactly
// those when it boots. A property without a default and without @IsOptional is required.

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Environment values are strings: an integer-looking one becomes a number, anything else fails @IsInt. */
const integer = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** An Ed25519 key, PEM or one-line base64 DER; the message never repeats the value. */
function IsEd25519Key(half: 'private' | 'public', options: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isEd25519Key',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            if (half === 'private') parseActorPrivateKey(value);
            else parseActorPublicKey(value);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

/**
 * Values that example files and manifests ship as placeholders: a secret still holding one
 * was copied without being filled in, and the boot stops instead of running with it.
 */
const PLACEHOLDER = /(^|[^a-z])(change|replace)[-_ ]?me([^a-z]|$)|placeholder/i;

/** The placeholder found in a value, if any: the whole value or a URL's password. */
export function placeholderIn(value: string): boolean {
  if (PLACEHOLDER.test(value)) return true;
  try {
    const password = decodeURIComponent(new URL(value).password);
    return password !== '' && PLACEHOLDER.test(password);
  } catch {
    return false;
  }
}

/** Refuses a secret still holding a shipped placeholder (`change-me`, `CHANGE-ME-…`), naming the variable. */
function IsNotPlaceholder() {
  return ValidateBy({
    name: 'isNotPlaceholder',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !placeholderIn(value),
      defaultMessage: (args) =>
        `${args?.property} 仍是占位值（如 change-me），请改为真实的随机值 / ${args?.property} still holds a placeholder (such as change-me): set a real random value`,
    },
  });
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Every app: how it reaches the others. */
export class BusSettings {
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
  @Transform(integer)
  @IsInt()
  @Min(100)
  @Max(600000)
  BUS_TIMEOUT_MS = 10000;

  /** NATS user of this app (deploy/nats/nats-server.conf gives each app its own, with its own subjects). */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^[a-zA-Z0-9_-]{1,64}$/, { message: 'NATS_USER 只能包含字母、数字、- 和 _' })
  NATS_USER?: string;

  /** Password of NATS_USER. */
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotPlaceholder()
  NATS_PASSWORD?: string;
}

/**
 * The gateway: signs the actor of every bus request it makes for a user (Ed25519 private key,
 * PEM or one-line base64 DER). Under `npm start`: a key pair is generated at boot when unset.
 */
export class ActorSigningSettings {
  @Transform(trimmed)
  @IsEd25519Key('private', { message: 'BUS_ACTOR_PRIVATE_KEY 应为 Ed25519 私钥（PEM 或 base64 DER）' })
  BUS_ACTOR_PRIVATE_KEY: string;
}

/** Every service: verifies the gateway's actor assertions (the public half of BUS_ACTOR_PRIVATE_KEY). */
export class ActorVerificationSettings {
  @Transform(trimmed)
  @IsEd25519Key('public', { message: 'BUS_ACTOR_PUBLIC_KEY 应为 Ed25519 公钥（PEM 或 base64 DER）' })
  BUS_ACTOR_PUBLIC_KEY: string;
}

/** Every app. */
export class LogSettings {
  @IsIn(['debug', 'info', 'warn', 'error', 'silent'])
  LOG_LEVEL: LogLevelName = 'info';
}

/** Every app with a schema of its own (all but the gateway). */
export class DatabaseSettings {
  /** PostgreSQL. Under `npm start` the launcher sets it (an embedded PostgreSQL under DATA_DIR) when unset. */
  @Transform(trimmed)
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL 应为 postgres://…' })
  @IsNotPlaceholder()
  DATABASE_URL: string;

  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;
}

/** The apps that keep objects: gateway (uploads), intake (reads them), files. */
export class StorageSettings {
  /** S3-compatible object storage (MinIO). Under `npm start`: s3rver under DATA_DIR when unset. */
  @Transform(trimmed)
  @Matches(/^https?:\/\/[^/\s]+\/?$/, { message: 'S3_ENDPOINT 应为 http(s)://主机:端口' })
  S3_ENDPOINT: string;

  @Transform(trimmed)
  @IsString()
  S3_ACCESS_KEY: string;

  @Transform(trimmed)
  @IsString()
  @IsNotPlaceholder()
  S3_SECRET_KEY: string;

  @IsString()
  S3_REGION = 'us-east-1';

  /** Bucket names are `<prefix>-packages`, `<prefix>-files`. */
  @Matches(/^[a-z0-9][a-z0-9-]{1,40}$/, { message: 'S3_BUCKET_PREFIX 只能包含小写字母、数字和 -' })
  S3_BUCKET_PREFIX = 'gsr';
}

/** Express's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** `10.0.0.5`, `10.0.0.0/8`, `fd00::/8` or one of Express's range names. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/** The gateway's HTTP edge. */
export class HttpSettings {
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * The reverse proxies (addresses or CIDRs, comma separated) whose `X-Forwarded-For` is
   * believed. Unset: none; the socket's address is the client, so a client cannot pick its
   * own address to escape the per-IP limits of login and 标识码找回.
   */
  @IsOptional()
  @Transform(trimmed)
  @ValidateBy({
    name: 'isProxyList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && value.split(',').every((entry) => isProxyEntry(entry.trim())),
      defaultMessage: () => 'TRUST_PROXY 应为以逗号分隔的代理地址或网段，如 10.0.0.5,10.1.0.0/16',
    },
  })
  TRUST_PROXY?: string;
}

/** TRUST_PROXY as Express's `trust proxy` setting takes it: the list, or false for none. */
export function trustedProxies(setting: string | undefined): string[] | false {
  const entries = (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length > 0 ? entries : false;
}

/** Gateway (verifies) and identity (signs) access tokens. Under `npm start`: generated into DATA_DIR when unset. */
export class JwtSettings {
  @Transform(trimmed)
  @MinLength(32, { message: 'JWT_SECRET 至少 32 个字符' })
  @IsNotPlaceholder()
  JWT_SECRET: string;
}

/** The apps that seal fields: identity (initial passwords), review (校验码), notification (mail bodies). */
export class EncryptionSettings {
  /** 64 hex characters (AES-256 key). Under `npm start`: generated into DATA_DIR when unset. */
  @Transform(trimmed)
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'ENCRYPTION_KEY 应为 64 位十六进制（256 位密钥）' })
  ENCRYPTION_KEY: string;

  /**
   * Keys used before the current one (comma separated, 64 hex characters each): they only open
   * fields sealed before a rotation; everything new is sealed with ENCRYPTION_KEY. Removed once
   * `npm run client -- rekey` has resealed every field (docs/OPERATIONS.md, Key rotation).
   */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^[0-9a-fA-F]{64}(\s*,\s*[0-9a-fA-F]{64})*$/, {
    message: 'ENCRYPTION_PREVIOUS_KEYS 应为以逗号分隔的 64 位十六进制密钥',
  })
  ENCRYPTION_PREVIOUS_KEYS?: string;
}

/** The field cipher of an app that seals fields: the current key, and the previous ones to open older values. */
export function fieldCipherOf(config: EncryptionSettings): FieldCipher {
  return new FieldCipher(config.ENCRYPTION_KEY, keyList(config.ENCRYPTION_PREVIOUS_KEYS));
}

/** Gateway: how it checks that a token has not been revoked (docs/SECURITY.md, 会话与令牌吊销). */
export class SessionSettings {
  /**
   * How long the gateway trusts an account's token version without asking identity again, ms.
   * Revocations reach every replica at once by an event; this bounds the wait if one is lost.
   */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(300000)
  TOKEN_VERSION_CACHE_MS = 5000;

  /**
   * Secrets that signed tokens before the current JWT_SECRET (comma separated, 32+ characters
   * each): tokens they signed are still accepted until they expire; new tokens are signed with
   * JWT_SECRET only. Removed one token lifetime after a rotation (docs/OPERATIONS.md).
   */
  @IsOptional()
  @Transform(trimmed)
  @ValidateBy({
    name: 'isSecretList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        value.split(',').every((entry) => entry.trim().length >= 32 && !placeholderIn(entry.trim())),
      defaultMessage: () => 'JWT_PREVIOUS_SECRETS 应为以逗号分隔的旧密钥，每个至少 32 个字符',
    },
  })
  JWT_PREVIOUS_SECRETS?: string;
}

/** Gateway (refuses larger uploads) and intake (refuses larger packages). */
export class UploadSettings {
  /** Largest package accepted for upload, bytes (100 MiB). */
  @Transform(integer)
  @IsInt()
  @Min(1024)
  @Max(1073741824)
  IMPORT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
}

/** Gateway: uploads one replica receives at once, whatever their units (each holds up to one 8 MiB part in memory), and the evidence file limit. */
export class GatewayUploadSettings {
  /** Past it, 429 RATE_LIMITED with Retry-After: bounds the replica's upload memory (16 × 8 MiB). */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1000)
  IMPORT_UPLOADS_PER_GATEWAY = 16;

  /** Largest evidence file (评分证据: screenshot, PDF, document) accepted for upload, bytes (20 MiB). */
  @Transform(integer)
  @IsInt()
  @Min(1024)
  @Max(104857600)
  EVIDENCE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
}

/** Intake: what a unit may upload at once and keep, and how long refused and dry-run uploads stay. */
export class UploadPolicySettings {
  /** Uploads one unit may have in progress at once (across all gateway replicas); the next answers 429. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(100)
  IMPORT_UPLOADS_PER_UNIT = 2;

  /** Bytes of uploaded packages one unit may keep (1 GiB); an upload past it answers 413. */
  @Transform(integer)
  @IsInt()
  @Min(1024)
  @Max(Number.MAX_SAFE_INTEGER)
  IMPORT_QUOTA_BYTES = 1024 * 1024 * 1024;

  /** Seconds a refused or dry-run (预检) upload is kept after its job ended (7 days); then it is deleted. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(10 * 365 * 86400)
  IMPORT_RETENTION_SECONDS = 7 * 86400;

  /**
   * Seconds an object under the uploads prefix may exist without an import job naming it
   * (1 hour); then it is an orphan (e.g. the job was never created) and is deleted.
   */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(30 * 86400)
  IMPORT_ORPHAN_GRACE_SECONDS = 3600;
}

/** Intake's job queue. */
export class ImportJobSettings {
  /**
   * An import job's lease, renewed every third of it while the job runs: another intake
   * replica takes over a job whose lease ran out (its replica died).
   */
  @Transform(integer)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  IMPORT_LEASE_MS = 15000;

  /**
   * On SIGTERM: how long intake lets the job in progress finish before handing it back to the
   * queue for another replica (within Kubernetes' 30 s grace period, with room for the rest).
   */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(3600000)
  IMPORT_SHUTDOWN_MS = 15000;
}

/** Exports (Excel): what downloads at once. */
export class ExportSettings {
  /**
   * The most records `GET /api/v1/forms/export` writes for a direct download; more answers
   * 409 EXPORT_TOO_LARGE and the user starts a background export (后台导出) instead.
   */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  EXPORT_SYNC_MAX_ROWS = 5000;
}

/** Files' background exports (后台导出). */
export class ExportJobSettings {
  /**
   * A background export's lease, renewed every third of it while the export runs: another
   * files replica takes over an export whose replica died once it runs out.
   */
  @Transform(integer)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  EXPORT_LEASE_MS = 30000;
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`); anything else fails @IsBoolean. */
const boolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(text)) return true;
  if (['false', '0', 'no'].includes(text)) return false;
  return value;
};

/** Assessment's monitoring of running sites (docs/ASSESSMENT.md, "监测"). */
export class MonitorSettings {
  /** Sync the site registry and run the probe workers in this replica. */
  @Transform(boolean)
  @IsBoolean()
  MONITOR_ENABLED = true;

  /** Probe private, loopback and link-local addresses (local runs and tests only). */
  @Transform(boolean)
  @IsBoolean()
  MONITOR_ALLOW_PRIVATE_TARGETS = false;

  /** Homepage visits per site and day, spread over the day by the site's code. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1440)
  MONITOR_HOMEPAGE_PROBES_PER_DAY = 24;

  /** Probes one replica runs at once (one request at a time per host whatever this is). */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1000)
  MONITOR_WORKER_CONCURRENCY = 32;

  /** A claimed probe's lease: a worker that dies holding it loses it after this long. */
  @Transform(integer)
  @IsInt()
  @Min(30)
  @Max(3600)
  MONITOR_LEASE_SECONDS = 120;

  /** How often the site registry is synced from review (and at start). */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(86400)
  MONITOR_SYNC_INTERVAL_SECONDS = 600;

  /** Same-site links of the homepage checked per site and day for 链接可用性. */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(200)
  MONITOR_LINKS_PER_DAY = 20;

  /** 立即探测: at most one per site within this many seconds (more answer 429). */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(3600)
  MONITOR_MANUAL_PROBE_INTERVAL_SECONDS = 60;
}

/** Identity: tokens it issues and the system accounts it creates on first start. */
export class AccountSettings {
  /** Lifetime of an access token, seconds. */
  @Transform(integer)
  @IsInt()
  @Min(60)
  @Max(86400)
  ACCESS_TOKEN_TTL_SECONDS = 1800;

  /**
   * First start only: passwords of bm0100, support and auditor. Unset: random, handed over
   * once (printed under `npm start`, else written to DATA_DIR/initial-passwords.txt).
   */
  @IsOptional()
  @Transform(trimmed)
  @MinLength(8, { message: 'ROOT_PASSWORD 至少 8 个字符' })
  @IsNotPlaceholder()
  ROOT_PASSWORD?: string;

  @IsOptional()
  @Transform(trimmed)
  @MinLength(8, { message: 'SUPPORT_PASSWORD 至少 8 个字符' })
  @IsNotPlaceholder()
  SUPPORT_PASSWORD?: string;

  @IsOptional()
  @Transform(trimmed)
  @MinLength(8, { message: 'AUDITOR_PASSWORD 至少 8 个字符' })
  @IsNotPlaceholder()
  AUDITOR_PASSWORD?: string;
}

/** Identity: how failed logins (and wrong current passwords at a change) are slowed down. */
export class LoginSettings {
  /**
   * Wrong passwords in a row from one client (IP address) for one username that lock that
   * pair; the same account from another client still logs in. For bm0100, support and
   * auditor, where a progressive delay starts instead (never a lock).
   */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES = 5;

  /** How long a locked (account, client) pair stays locked; also the longest delay of a system account. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1440)
  LOGIN_LOCK_MINUTES = 15;

  /** Failed logins from one client across all accounts within the window; more answer 429. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(100000)
  LOGIN_CLIENT_MAX_FAILURES = 30;

  /** The window of LOGIN_CLIENT_MAX_FAILURES, minutes. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1440)
  LOGIN_CLIENT_WINDOW_MINUTES = 15;
}

/** Identity: the audit log's retention. */
export class AuditSettings {
  /** Days the audit log keeps an entry before the periodic purge removes it (等保: at least 180). */
  @Transform(integer)
  @IsInt({ message: 'AUDIT_RETENTION_DAYS 应为整数（天）' })
  @Min(180, { message: 'AUDIT_RETENTION_DAYS 不能少于 180 天' })
  @Max(36500)
  AUDIT_RETENTION_DAYS = 180;
}

/** Notification's mail. */
export class MailSettings {
  /** SMTP server, e.g. smtp://user:pass@mail.example.gov.cn:587. Unset: .eml files under DATA_DIR/mail. */
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL 应为 smtp://… 或 smtps://…' })
  @IsNotPlaceholder()
  SMTP_URL?: string;

  /** Sender of system mail. */
  @IsString()
  MAIL_FROM = '全国政府网站信息报送系统 <noreply@localhost>';
}

/** Local files: the launcher's embedded database, objects and secrets; notification's .eml outbox. */
export class DataDirSettings {
  @IsString()
  DATA_DIR = './.data';
}

export type PresetTreeName = 'national' | 'sample';

/** Hierarchy's first start: which preset tree it seeds. */
export class SeedSettings {
  /**
   * `national` (every unit of the country) or `sample` (国务院办公厅 and a handful of real units
   * around 河北省, for demos, training and tests).
   */
  @IsIn(['national', 'sample'], { message: 'PRESET_TREE 应为 national 或 sample' })
  PRESET_TREE: PresetTreeName = 'national';
}

/**
 * Every app: the probes' own small HTTP port (`GET /livez`, `GET /readyz`) and when the
 * liveness probe gives up on a bus that does not come back.
 */
export class HealthSettings {
  /**
   * Unset: the app's own default when run on its own (`npm run start:svc`: gateway 9000,
   * identity 9001, hierarchy 9002, intake 9003, review 9004, files 9005, notification 9006, assessment 9007),
   * off under `npm start`. `0`: off.
   */
  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'HEALTH_PORT 应为 0–65535 的整数' })
  @Min(0, { message: 'HEALTH_PORT 应为 0–65535 的整数' })
  @Max(65535, { message: 'HEALTH_PORT 应为 0–65535 的整数' })
  HEALTH_PORT?: number;

  /**
   * Seconds the bus may stay unreachable before `/livez` answers 503 (restart me). The
   * connection retries for ever meanwhile; `0`: never restart for that (only for a connection
   * closed for good).
   */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(86400)
  BUS_DOWN_RESTART_SECONDS = 300;
}

/** What every app reads. */
export const BASE_SETTINGS = [BusSettings, LogSettings, HealthSettings] as const;

/** Every section, in the order the README's table lists them. */
export const ALL_SETTINGS = [
  HttpSettings,
  DataDirSettings,
  BusSettings,
  HealthSettings,
  DatabaseSettings,
  StorageSettings,
  LogSettings,
  JwtSettings,
  ActorSigningSettings,
  ActorVerificationSettings,
  EncryptionSettings,
  AccountSettings,
  LoginSettings,
  AuditSettings,
  SessionSettings,
  UploadSettings,
  GatewayUploadSettings,
  UploadPolicySettings,
  ImportJobSettings,
  ExportSettings,
  ExportJobSettings,
  MailSettings,
  SeedSettings,
  MonitorSettings,
] as const;
