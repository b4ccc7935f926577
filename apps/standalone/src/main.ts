import {
  actorPublicKeyOf,
  ALL_SETTINGS,
  AppConfig,
  ConfigError,
  DataDirSettings,
  generateActorKeyPair,
  loadConfig,
  loadSettings,
  logCrashes,
  transportFromConfig,
} from '@app/platform';
import { EmbeddedS3, startEmbeddedS3 } from '@app/storage';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { loadOrCreateSecrets } from './secrets';
import { RunningSystem, startSystem, untilStarted } from './system';

/**
 * `npm start`: the whole system in one process. Each part not configured in the
 * environment is embedded: PostgreSQL (embedded-postgres), S3 (s3rver) and the bus
 * (in-process transport). Data stays under DATA_DIR between starts.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let base: Partial<AppConfig>;
  let dataDir: string;
  try {
    // What is given, checked now; what is not (database, S3, secrets) is embedded below.
    base = loadSettings(ALL_SETTINGS, process.env, {}, { allowMissing: true });
    dataDir = resolve(loadSettings([DataDirSettings]).DATA_DIR);
  } catch (err) {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = loadOrCreateSecrets(dataDir);

  let database: EmbeddedDatabase | undefined;
  let s3: EmbeddedS3 | undefined;
  let system: RunningSystem | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('正在停止…');
    await system?.close().catch((err) => say(`停止服务出错：${String(err)}`));
    await s3?.stop().catch(() => undefined);
    await database?.stop().catch((err) => say(`停止数据库出错：${String(err)}`));
    process.exit(code);
  };
  // A crash: one JSON line on stderr, then the embedded servers are stopped as on Ctrl-C.
  logCrashes('standalone', (code) => void stop(code));
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGHUP', () => void stop(0));

  try {
    if (!base.DATABASE_URL) database = await startEmbeddedPostgres(dataDir, secrets.databasePassword, say);
    if (!base.S3_ENDPOINT) s3 = await startEmbeddedS3(join(dataDir, 'objects'));
    // One process: the gateway and the services share a key pair made now, in memory only
    // (an assertion lives seconds; nothing signed with it outlives the process).
    const actorPrivateKey = base.BUS_ACTOR_PRIVATE_KEY ?? generateActorKeyPair().privateKey;
    const overrides: Partial<AppConfig> = {
      DATA_DIR: dataDir,
      BUS_ACTOR_PRIVATE_KEY: actorPrivateKey,
      BUS_ACTOR_PUBLIC_KEY: base.BUS_ACTOR_PUBLIC_KEY ?? actorPublicKeyOf(actorPrivateKey),
      JWT_SECRET: base.JWT_SECRET ?? secrets.jwtSecret,
      ENCRYPTION_KEY: base.ENCRYPTION_KEY ?? secrets.encryptionKey,
      ...(database && { DATABASE_URL: database.url }),
      ...(s3 && { S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey }),
    };
    const config = loadConfig(process.env, overrides);
    // One process: the in-process bus, unless NATS_URL asks for a real one.
    // HEALTH_PORT: off unless set (one process, one probe port for all of it).
    system = await startSystem(
      // On the operator's terminal: generated first-start passwords are printed there, once.
      { config, transport: transportFromConfig(config), terminal: true },
      { processName: 'standalone', ...(config.HEALTH_PORT && { healthPort: config.HEALTH_PORT }) },
    );
    // The gateway answers from here on (health 503 "starting", the console shows 系统正在初始化);
    // the ready line waits for the preset tree, every account and every workbook.
    let shown = 0;
    await untilStarted(system, ({ units, accounts, workbooks }) => {
      if (Date.now() - shown < 2000) return;
      shown = Date.now();
      say(
        `系统正在初始化：单位 ${units.done}/${units.total}，账号 ${accounts.done}/${accounts.total}，账号表 ${workbooks.done}/${workbooks.total}（http://localhost:${config.PORT}/ 显示进度）`,
      );
    });
    say(
      `全国政府网站信息报送系统已启动（${((Date.now() - started) / 1000).toFixed(1)} 秒）：http://localhost:${config.PORT}/`,
    );
    say(`数据目录：${dataDir}　按 Ctrl-C 停止`);
  } catch (err) {
    say(
      err instanceof ConfigError
        ? err.message
        : `启动失败：${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    await stop(1);
  }
}

void main();
