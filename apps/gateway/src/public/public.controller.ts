import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { toJsonSchema } from '@app/forms';
import { ApiErrors } from '../openapi/api-errors';
import { Access } from '../auth/access';

/** Needs no login. */
@ApiTags('public')
@Controller('public')
export class PublicController {
  private readonly schema = toJsonSchema();

  @Access('public')
  @Get('form-schema')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: '政府网站基本信息表的 JSON Schema（含中文标签），离线填报工具与外部工具据此校验' })
  @ApiOkResponse({
    description: '表单的 JSON Schema（draft 2020-12），title 为中文标签',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiErrors('public.formSchema')
  formSchema() {
    return this.schema;
  }
}
