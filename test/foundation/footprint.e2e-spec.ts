import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** The heavy packages among `modules` that loading the built file `entry` pulls in. */
function heavyLoadedBy(entry: string, modules: string[]): string[] {
  const script = `
    require(${JSON.stringify(join(ROOT, entry))});
    const loaded = Object.keys(require.cache);
    const heavy = ${JSON.stringify(modules)};
    process.stdout.write(JSON.stringify(heavy.filter((name) => loaded.some((file) => file.includes('/node_modules/' + name + '/')))));
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

// What a process loads stays resident: the gateway's budget is 150 MiB idle, and TypeORM with pg
// hold about 18 MiB of it, s3rver 11 MiB. Loading the modules is enough; nothing is started.
describe('what each process loads', () => {
  it('the gateway, which keeps no data, loads neither TypeORM, pg nor the embedded S3 server', () => {
    expect(heavyLoadedBy('dist/apps/gateway/src/create-gateway-app.js', ['typeorm', 'pg', 's3rver'])).toEqual([]);
  });

  it('a service run as its own process loads its database code but not the embedded S3 server', () => {
    expect(heavyLoadedBy('dist/apps/files/src/files.module.js', ['typeorm', 'pg', 's3rver'])).toEqual([
      'typeorm',
      'pg',
    ]);
  });
});
