import { resolve } from 'node:path';
import { Cluster } from './cluster';

/**
 * `npm run cluster`: every app as its own OS process (two intake replicas) over NATS,
 * PostgreSQL and S3 — see Cluster. One line per process with its pid and ports, each child's
 * log lines prefixed with its name; Ctrl-C or SIGTERM stops them all. A child that exits
 * unasked stops the whole cluster, exit code 1: a half-running cluster would hide the fault.
 */
async function main(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let width = 12;
  let exitCode = 0;
  let stopping: Promise<void> | undefined;
  const cluster: Cluster = new Cluster({
    root: resolve(__dirname, '../../../..'),
    env: process.env,
    say,
    log: (member, line) => {
      width = Math.max(width, member.length);
      process.stdout.write(`${member.padEnd(width)} | ${line}\n`);
    },
    onUnexpectedExit: (member, code, signal) => {
      say(
        `进程 ${member.name}（pid ${member.pid}）意外退出（${signal ? `信号 ${signal}` : `退出码 ${code}`}），正在停止整个集群`,
      );
      void stop(1);
    },
  });
  const stop = (code: number) => {
    exitCode = Math.max(exitCode, code);
    stopping ??= (async () => {
      say('正在停止集群…');
      await cluster.stop();
      say('集群已停止');
      process.exit(exitCode);
    })();
    return stopping;
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));
  try {
    await cluster.start();
    say('按 Ctrl-C 停止');
  } catch (err) {
    say(`集群启动失败：${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
  }
}

void main();
