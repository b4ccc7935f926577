// Three projects: `unit` (specs beside the code, no servers), `e2e` (test/, against real
// PostgreSQL, NATS and the S3 server) and `browser` (test/console and test/client: the same
// servers driven through chromium or Firefox). `npm test` runs all three; one alone with
// `npx jest --selectProjects e2e` (see README). One worker per core, not jest's default of
// cores - 1 (a single worker on 2 cores): an e2e file waits on PostgreSQL, NATS and the browser
// much of the time, so on 2 cores the whole run took 196 s with 2 workers against 261 s with 1.
const fs = require('node:fs');
const path = require('node:path');

// The workers inherit this process's environment. Identity's deployments start it with these
// glibc malloc settings (apps/standalone/src/malloc-settings.ts; docs/OPERATIONS.md, Memory): each
// full-cost scrypt then reuses its 32 MiB instead of having the kernel fault it in afresh, and
// the suite logs in a lot. On a 2-core AMD VM two login-heavy files took 27 s instead of 39 s.
const MALLOC_SETTINGS = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_MMAP_THRESHOLD_: '34603008',
  MALLOC_TRIM_THRESHOLD_: '83886080',
};
for (const [name, value] of Object.entries(MALLOC_SETTINGS)) process.env[name] ??= value;

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcrc, swcrc: false }] };

const libs = ['contracts', 'platform', 'storage', 'forms', 'package', 'testing', 'workflow'];
const moduleNameMapper = {};
for (const lib of libs) {
  moduleNameMapper[`^@app/${lib}$`] = `<rootDir>/libs/${lib}/src`;
  moduleNameMapper[`^@app/${lib}/(.*)$`] = `<rootDir>/libs/${lib}/src/$1`;
}

const common = {
  rootDir: __dirname,
  transform,
  moduleNameMapper,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const e2e = {
  ...common,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
const browserSpecs = ['<rootDir>/test/console/', '<rootDir>/test/client/'];
const faultSpecs = ['<rootDir>/test/faults/'];

module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  maxWorkers: '100%',
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/*/src/**/*.spec.ts', '<rootDir>/libs/*/src/**/*.spec.ts'],
    },
    {
      ...e2e,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: [...browserSpecs, ...faultSpecs],
    },
    {
      ...e2e,
      displayName: 'faults',
      testMatch: faultSpecs.map((dir) => `${dir}**/*.e2e-spec.ts`),
    },
    {
      ...e2e,
      displayName: 'browser',
      testMatch: browserSpecs.map((dir) => `${dir}**/*.e2e-spec.ts`),
    },
  ],
};
