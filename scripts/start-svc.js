#!/usr/bin/env node
// Runs one app as its own process over NATS: `npm run start:svc -- intake`.
// The app reads the settings it declares (apps/<app>/src/<app>.settings.ts, listed in the
// README's table) and refuses to boot, naming the variable, when one is bad or missing.
// Start as many replicas as you like.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const APPS = ['gateway', 'identity', 'hierarchy', 'intake', 'review', 'files', 'notification', 'assessment'];
const name = process.argv[2];
if (!APPS.includes(name)) {
  process.stderr.write(`用法：npm run start:svc -- <${APPS.join('|')}>\n`);
  process.exit(2);
}
const entry = path.resolve(__dirname, '..', 'dist', 'apps', name, 'src', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(`未找到 ${entry}，请先运行 npm run build\n`);
  process.exit(2);
}
require(entry);
