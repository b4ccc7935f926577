import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { projectRoot } from '../web/web-root';
import { auditOperations } from './openapi-audit';
import { buildOpenApiDocument, OPENAPI_FILE } from './build-openapi';

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    document = await buildOpenApiDocument();
  });

  it(`is committed as ${OPENAPI_FILE}, up to date`, () => {
    const committed: unknown = JSON.parse(readFileSync(join(projectRoot(), OPENAPI_FILE), 'utf8'));
    if (!isDeepStrictEqual(committed, JSON.parse(JSON.stringify(document))))
      throw new Error(`${OPENAPI_FILE} differs from the gateway's document: run npm run docs:openapi and commit it`);
  });

  it('is valid OpenAPI 3 (swagger-parser)', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('gives every operation a success body schema and its error answers with their codes', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.keys(item));
    expect(operations.length).toBeGreaterThanOrEqual(35);
    expect(auditOperations(document)).toEqual([]);
  });

  it('finds an operation without a body schema, without errors, or with a code under the wrong status', () => {
    const broken = structuredClone(document);
    const login = broken.paths['/api/v1/auth/login'].post!;
    login.responses['200'] = { description: 'ok' };
    const me = broken.paths['/api/v1/me'].get!;
    me.responses = { '200': me.responses['200'] };
    const approve = broken.paths['/api/v1/forms/{id}/approve'].post!;
    approve.responses['404'] = approve.responses['409'];
    delete (broken.paths['/api/v1/files'].get as unknown as Record<string, unknown>)['x-access'];
    expect(auditOperations(broken)).toEqual([
      'POST /api/v1/auth/login: success response 200 has no body schema',
      'GET /api/v1/me: no error responses',
      'GET /api/v1/files: no access rule (@Access)',
      'POST /api/v1/forms/{id}/approve: RECORD_STATE_CONFLICT is answered with 409, documented under 404',
      'POST /api/v1/forms/{id}/approve: SITE_CODES_EXHAUSTED is answered with 409, documented under 404',
    ]);
  });
});
