import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorEnvelope } from '@app/contracts';

/** The body of every error answer (`{code, message, details?}`), as the OpenAPI document shows it. */
export class ErrorEnvelopeDto implements ErrorEnvelope {
  @ApiProperty({
    type: String,
    description: '稳定的错误码（客户端据此分支），如 RECORD_NOT_FOUND',
    example: 'RECORD_NOT_FOUND',
  })
  code: string;

  @ApiProperty({ type: String, description: '给用户看的中文说明', example: '记录不存在，或不在本单位的管辖范围内' })
  message: string;

  @ApiPropertyOptional({
    description:
      '供程序读取的细节。VALIDATION_FAILED：[{field, message}]，逐项列出每个问题；RECORD_FORM_INVALID：[{field, label, message}]；INTERNAL_ERROR：{errorId}（服务日志中可查）',
  })
  details?: unknown;
}
