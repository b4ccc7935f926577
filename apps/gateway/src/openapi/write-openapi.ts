// `npm run docs:openapi`: writes docs/openapi.json, the gateway's OpenAPI document, formatted
// as the repository's Prettier settings want it (so `npm run lint` accepts the file).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { projectRoot } from '../web/web-root';
import { buildOpenApiDocument, OPENAPI_FILE } from './build-openapi';

async function main(): Promise<void> {
  const file = join(projectRoot(), OPENAPI_FILE);
  const text = JSON.stringify(await buildOpenApiDocument());
  writeFileSync(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
  process.stdout.write(`${OPENAPI_FILE} written\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
