#!/usr/bin/env node
// Entry point of the package CLI: `npm run client -- <command>` (see cli.ts).
import { execute } from './cli';

execute(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 3;
  },
);
