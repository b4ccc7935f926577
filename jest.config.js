// Three projects: `unit` (specs beside the code, no servers), `e2e` (test/, against real
// PostgreSQL, NATS and the S3 server) and `browser` (test/console and test/client: the same
// servers driven through chromium or Firefox). `npm test` runs all three; one alone with
// `npx jest --selectProjects e2e` (see README). Workers stay at jest's default (cores - 1): on
// a 2-core machine the e2e project took 408 s with --maxWorkers=2 against 358 s with one
// (each file boots services and hashes passwords: CPU-bound), and the launcher test timed out.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcrc, swcrc: false }] };

const libs = ['contracts', 'platform', 'storage', 'forms', 'package', 'testing'];
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

module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
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
      testPathIgnorePatterns: browserSpecs,
    },
    {
      ...e2e,
      displayName: 'browser',
      testMatch: browserSpecs.map((dir) => `${dir}**/*.e2e-spec.ts`),
    },
  ],
};
