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
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {}))
      problems.push({ field, message: inChinese(constraint, message, field) });
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, field));
  }
  return problems;
}

const HAS_CJK = /[\u4e00-\u9fff]/;

/**
 * class-validator's own messages are English; a person reads these, so any constraint
 * without a Chinese message of its own gets one here, keyed by the constraint's name.
 */
export function inChinese(constraint: string, message: string, field: string): string {
  if (HAS_CJK.test(message)) return message;
  const number = message.match(/-?\d+(\.\d+)?/)?.[0];
  switch (constraint) {
    case 'whitelistValidation':
      return `不支持的字段：${field}`;
    case 'isDefined':
    case 'isNotEmpty':
      return `请填写 ${field}`;
    case 'isString':
      return `${field} 应为文字`;
    case 'maxLength':
      return `${field} 不能超过 ${number} 个字`;
    case 'minLength':
      return `${field} 至少 ${number} 个字`;
    case 'isInt':
    case 'isNumber':
      return `${field} 应为整数`;
    case 'min':
      return `${field} 不能小于 ${number}`;
    case 'max':
      return `${field} 不能大于 ${number}`;
    case 'isBoolean':
      return `${field} 应为 true 或 false`;
    case 'isUuid':
      return `${field} 格式有误`;
    case 'isIn':
    case 'isEnum':
      return `${field} 的取值不在允许范围内`;
    case 'isEmail':
      return `${field} 应为电子邮箱地址`;
    case 'isDateString':
    case 'isIso8601':
      return `${field} 应为日期时间，如 2026-05-01T00:00:00+08:00`;
    case 'isArray':
      return `${field} 应为列表`;
    case 'arrayMaxSize':
      return `${field} 最多 ${number} 项`;
    case 'arrayMinSize':
      return `${field} 至少 ${number} 项`;
    case 'nestedValidation':
    case 'isObject':
      return `${field} 格式有误`;
    default:
      return `${field} 不符合要求`;
  }
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
    exceptionFactory: (errors) =>
      new DomainError(CommonErrorCodes.VALIDATION_FAILED, '请求参数有误', flattenValidationErrors(errors)),
  });
}
