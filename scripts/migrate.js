#!/usr/bin/env node
// Applies one service's pending migrations and exits: the release's migration job runs it
// (deploy/README.md, "Migrations") before the new pods roll out:
//   node scripts/migrate.js <identity|hierarchy|intake|review|files|notification|assessment>
// It reads DATABASE_URL (that service's own role) and refuses to run, naming the variable,
// when it is bad or missing. Services also migrate at boot; after this job they find nothing
// left to do. Exit status 0: the schema is current.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const SERVICES = ['identity', 'hierarchy', 'intake', 'review', 'files', 'notification', 'assessment'];
const name = process.argv[2];
if (!SERVICES.includes(name)) {
  process.stderr.write(`用法：node scripts/migrate.js <${SERVICES.join('|')}>\n`);
  process.exit(2);
}
const dist = path.resolve(__dirname, '..', 'dist');
const moduleFile = path.join(dist, 'apps', name, 'src', `${name}.module.js`);
if (!fs.existsSync(moduleFile)) {
  process.stderr.write(`未找到 ${moduleFile}，请先运行 npm run build\n`);
  process.exit(2);
}
const platform = require(path.join(dist, 'libs', 'platform', 'src'));
const migrations = require(moduleFile)[`${name.toUpperCase()}_MIGRATIONS`];

async function main() {
  const config = platform.loadSettings([platform.DatabaseSettings]);
  const { applied } = await platform.migrateService({ service: name, schema: name, config, migrations });
  process.stdout.write(
    `${JSON.stringify({ service: name, msg: 'migrations current', applied, time: new Date().toISOString() })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${name} 迁移失败：${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
