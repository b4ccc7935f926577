import { DynamicModule, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import { SwaggerModule } from '@nestjs/swagger';
import { createValidationPipe, JsonLogger, ServiceRuntime, trustedProxies } from '@app/platform/core';
import { GatewayModule } from './gateway.module';
import { GatewayConfig } from './gateway.settings';
import { accessLog } from './http/access-log';
import { correlationMiddleware } from './http/correlation.middleware';
import { fieldLabel } from './http/field-label';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { securityHeaders } from './http/security-headers';
import { createOpenApiDocument, OPENAPI_PATH } from './openapi/openapi-document';

export interface GatewayOptions {
  /** Extra modules mounted into the gateway (tests use this for probe routes). */
  extraModules?: DynamicModule[];
  /** The log's `service` field outside requests; the launcher names the whole process. */
  processName?: string;
}

/** Builds the gateway's HTTP app (not yet listening). */
export async function createGatewayApp(
  runtime: ServiceRuntime<GatewayConfig>,
  options: GatewayOptions = {},
): Promise<NestExpressApplication> {
  const module = GatewayModule.register(runtime);
  module.imports = [...(module.imports ?? []), ...(options.extraModules ?? [])];
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: new JsonLogger(options.processName ?? 'gateway', runtime.config.LOG_LEVEL),
  });
  app.disable('x-powered-by');
  // No ETag hashed from every JSON answer: API answers are no-store (nothing to revalidate), and
  // a list page (~26 KB) cost a SHA-1 each. Static files (the console) keep theirs (sendFile).
  app.set('etag', false);
  // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY (none by default):
  // otherwise a client could name any address and escape every per-IP limit.
  app.set('trust proxy', trustedProxies(runtime.config.TRUST_PROXY));
  // gzip for the console (~270 KB → ~80 KB), the offline client and JSON lists: county offices
  // are often on slow links. ZIP/XLSX downloads are left as they are (not compressible).
  // First: every request gets its access-log line and its observation in the HTTP histogram,
  // with the bytes sent after compression.
  app.use(accessLog());
  app.use(compression());
  app.use(correlationMiddleware);
  // CSP, nosniff, Referrer-Policy, HSTS over TLS, no-store on API answers (docs/SECURITY.md).
  app.use(...securityHeaders());
  app.useBodyParser('json', { limit: '1mb' });
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: '/', method: RequestMethod.GET },
      { path: 'client', method: RequestMethod.GET },
      { path: 'client/download', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe({ fieldLabel }));
  app.useGlobalFilters(new HttpExceptionFilter());
  SwaggerModule.setup(OPENAPI_PATH, app, () => createOpenApiDocument(app));
  return app;
}
