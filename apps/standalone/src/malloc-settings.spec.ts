import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MALLOC_SETTINGS } from './malloc-settings';

/** Minor page faults of two scrypt hashes at the login cost, after a first one, in a fresh process. */
function faultsOfTwoHashes(env: Record<string, string>): number {
  const script = `
    const { scryptSync } = require('node:crypto');
    const hash = () => scryptSync('密码', 'salt-salt-salt', 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 2 ** 20 });
    hash();
    const before = process.resourceUsage().minorPageFault;
    hash();
    hash();
    process.stdout.write(String(process.resourceUsage().minorPageFault - before));`;
  return Number(execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', ...env } }));
}

const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;

describe('identity malloc settings', () => {
  it('the test run gives its workers the same (jest.config.js)', () => {
    const config = readFileSync(join(__dirname, '../../../jest.config.js'), 'utf8');
    const block = /const MALLOC_SETTINGS = (\{[^}]*\})/.exec(config)?.[1] ?? '{}';
    expect(
      JSON.parse(
        block
          .replace(/(\w+):/g, '"$1":')
          .replace(/'/g, '"')
          .replace(/,\s*\}/, '}'),
      ),
    ).toEqual(MALLOC_SETTINGS);
  });

  (glibc ? it : it.skip)(
    `keep scrypt's 32 MiB mapped between hashes (glibc ${glibc ?? 'absent'}): the kernel does not fault it in again`,
    () => {
      const pages = (32 * 2 ** 20) / 4096;
      // Without them every hash maps its 32 MiB afresh: each page faulted in again, twice.
      expect(faultsOfTwoHashes({})).toBeGreaterThanOrEqual(2 * pages);
      expect(faultsOfTwoHashes(MALLOC_SETTINGS)).toBeLessThan(pages / 8);
    },
  );
});
