// `npm run audit:verify`: checks the audit log's hash chain in identity's database (the
// DATABASE_URL identity uses) and prints OK with the number of entries checked, or the first
// broken link. Exit code 0: intact; 1: broken; 2: could not check.
import 'reflect-metadata';
import { ConfigError, DatabaseSettings, loadSettings } from '@app/platform';
import { DataSource } from 'typeorm';
import { AuditLogRepository } from './audit-log.repository';
import { verifyAuditLog } from './audit.service';

async function main(): Promise<number> {
  const { DATABASE_URL } = loadSettings([DatabaseSettings]);
  const dataSource = new DataSource({
    type: 'postgres',
    url: DATABASE_URL,
    extra: { options: '-c search_path=identity', max: 1 },
  });
  await dataSource.initialize();
  try {
    const result = await verifyAuditLog(new AuditLogRepository(dataSource));
    const out = result.ok ? process.stdout : process.stderr;
    out.write(`${result.ok ? 'OK' : 'BROKEN'} ${result.message}\n`);
    out.write(`checked=${result.checked} anchorSeq=${result.anchorSeq} headSeq=${result.headSeq}\n`);
    if (result.firstBroken) {
      const b = result.firstBroken;
      out.write(`first broken link: seq=${b.seq} entry=${b.entryId ?? '-'} at=${b.at ?? '-'} problem=${b.problem}\n`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const missing = (err as { code?: string }).code === '42P01';
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : missing
          ? '审计日志校验无法进行：这个数据库里没有 identity 的审计日志（DATABASE_URL 应指向 identity 使用的数据库）\n'
          : `审计日志校验无法进行：${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(2);
  },
);
