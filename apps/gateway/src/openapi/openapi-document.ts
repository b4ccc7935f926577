import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from './error-envelope.dto';

/** Where the gateway serves the document (Swagger UI; the JSON at `/api/docs-json`). */
export const OPENAPI_PATH = 'api/docs';

/** The gateway's OpenAPI document, built from its controllers' decorators. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('全国政府网站信息报送系统 API')
    .setDescription(
      '网关的 REST 接口（/api/v1）。除标注无需登录的接口外，请求须带 `Authorization: Bearer <accessToken>`。' +
        '出错时一律返回 `{code, message, details?}`：code 为稳定的错误码，message 为中文说明；每个接口列出了它可能返回的错误码。',
    )
    .setVersion('v1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ErrorEnvelopeDto] });
}
