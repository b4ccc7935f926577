import { OpenAPIObject } from '@nestjs/swagger';
import { generateActorKeyPair, loadSettings, transportFromConfig } from '@app/platform/core';
import { createGatewayApp } from '../create-gateway-app';
import { GATEWAY_SETTINGS } from '../gateway.settings';
import { createOpenApiDocument } from './openapi-document';

/** Where the document is committed; `npm run docs:openapi` writes it, a spec keeps it in step. */
export const OPENAPI_FILE = 'docs/openapi.json';

/**
 * The document of a gateway app built as the gateway builds itself (createGatewayApp), with
 * placeholder settings: it never listens, and nothing connects to a server until it does.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadSettings(
    GATEWAY_SETTINGS,
    {},
    {
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'openapi-document-only-never-used-to-sign',
      BUS_ACTOR_PRIVATE_KEY: generateActorKeyPair().privateKey,
      S3_ENDPOINT: 'http://127.0.0.1:9',
      S3_ACCESS_KEY: 'unused',
      S3_SECRET_KEY: 'unused',
    },
  );
  const app = await createGatewayApp({ config, transport: transportFromConfig(config) });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
