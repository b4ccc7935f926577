import { ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrorCodes } from '@app/contracts';
import { DomainError } from './domain-error';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Flattens class-validator's tree into `{field: 'a.b[0].c', message}` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) problems.push({ field, message });
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, field));
  }
  return problems;
}

/**
 * The pipe every app uses, on the bus and over HTTP: unknown fields are refused, and a
 * failure is a VALIDATION_FAILED DomainError listing every field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new DomainError(CommonErrorCodes.VALIDATION_FAILED, '请求参数有误', flattenValidationErrors(errors)),
  });
}
