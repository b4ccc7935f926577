import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { httpStatusFor } from '../http/error-status';
import { ErrorEnvelopeDto } from './error-envelope.dto';
import { CatalogCode, OPERATION_ERRORS, OperationName } from './operation-errors';

/** The codes of one operation grouped by the HTTP status each is answered with. */
export function errorsByStatus(codes: readonly CatalogCode[]): Map<number, CatalogCode[]> {
  const byStatus = new Map<number, CatalogCode[]>();
  for (const code of new Set(codes)) {
    const status = httpStatusFor(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/**
 * Documents an operation's error answers: one response per status, each the
 * `{code, message, details}` envelope with `code` limited to what that status carries.
 */
export function ApiErrors(operation: OperationName): MethodDecorator & ClassDecorator {
  const responses = [...errorsByStatus(OPERATION_ERRORS[operation])].map(([status, codes]) =>
    ApiResponse({
      status,
      description: `错误码：${codes.map((code) => `\`${code}\``).join('、')}`,
      schema: {
        allOf: [
          { $ref: getSchemaPath(ErrorEnvelopeDto) },
          { type: 'object', properties: { code: { type: 'string', enum: codes } } },
        ],
      },
    }),
  );
  return applyDecorators(...responses);
}
