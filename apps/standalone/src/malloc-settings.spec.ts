import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MALLOC_SETTINGS, PROCESS_MALLOC_SETTINGS, transparentHugePages } from './malloc-settings';

const { GLIBC_TUNABLES, MALLOC_ARENA_MAX } = PROCESS_MALLOC_SETTINGS;

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

const ROOT = join(__dirname, '../../..');

const hugePages = transparentHugePages() ?? 'never';

/** The faults without any setting, measured once for both suites. */
let withoutSettings: number | undefined;
const faultsWithoutSettings = () => (withoutSettings ??= faultsOfTwoHashes({}));

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
      expect(faultsWithoutSettings()).toBeGreaterThanOrEqual(2 * pages);
      expect(faultsOfTwoHashes(MALLOC_SETTINGS)).toBeLessThan(pages / 8);
    },
  );
});

describe('the glibc settings of every process', () => {
  it('npm start, start:svc and bench start node with them, and the image sets them', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const name of ['start', 'start:svc', 'bench'])
      expect(scripts[name]).toContain(
        `MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-${MALLOC_ARENA_MAX}} GLIBC_TUNABLES=\${GLIBC_TUNABLES:-${GLIBC_TUNABLES}} node `,
      );
    const env = /^ENV (.*)$/m.exec(readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8'))?.[1].split(' ') ?? [];
    expect(env).toEqual(
      expect.arrayContaining([`MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}`, `GLIBC_TUNABLES=${GLIBC_TUNABLES}`]),
    );
  });

  (glibc && hugePages !== 'never' ? it : it.skip)(
    `fault scrypt's 32 MiB in as huge pages (glibc ${glibc ?? 'absent'}, transparent huge pages ${hugePages})`,
    () => {
      const pages = (32 * 2 ** 20) / 4096;
      expect(faultsWithoutSettings()).toBeGreaterThanOrEqual(2 * pages);
      // A mapping is seldom aligned to 2 MiB: its ends (up to 2 MiB less 4 KiB) still fault by 4 KiB.
      expect(faultsOfTwoHashes({ GLIBC_TUNABLES })).toBeLessThan(pages / 2);
    },
  );
});
