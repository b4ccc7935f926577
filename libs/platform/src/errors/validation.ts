import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrorCodes, fastCheckOf } from '@app/contracts';
import { DomainError } from './domain-error';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Constraints about what KIND of value a field holds. When a field is missing, or holds the
 * wrong kind of value, one of these names the problem; a length or range constraint that
 * also failed would only mislead (a missing `q` read "q 不能超过 64 个字").
 */
const KIND_CONSTRAINTS = [
  'isDefined',
  'isNotEmpty',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isUuid',
  'isIn',
  'isEnum',
];

/** Constraints whose own Chinese message speaks for a missing value (IsString({message: '请填写…'})). */
const PRESENCE_CONSTRAINTS = ['isDefined', 'isNotEmpty', 'isString'];

/**
 * Flattens class-validator's tree into `{field: 'a.b[0].c', message}` entries, one per field:
 * a missing field reads 请填写 (or the field's own Chinese message for it), a wrong kind of
 * value names the kind, otherwise the first failed constraint speaks.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    if (constraints.length) problems.push({ field, message: oneMessage(constraints, error.value, field) });
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, field));
  }
  return problems;
}

function oneMessage(constraints: Array<[string, string]>, value: unknown, field: string): string {
  const kind = constraints.find(([constraint]) => KIND_CONSTRAINTS.includes(constraint));
  if (constraints.some(([constraint]) => constraint === 'whitelistValidation')) return `不支持的字段：${field}`;
  if (value === undefined || value === null) {
    // The field's own Chinese message for a missing value (请填写退回理由) when it has one.
    const presence = constraints.find(([c, message]) => PRESENCE_CONSTRAINTS.includes(c) && HAS_CJK.test(message));
    if (presence) return presence[1];
    return `请填写 ${field}`;
  }
  if (value === '') return constraints.find(([, message]) => HAS_CJK.test(message))?.[1] ?? `请填写 ${field}`;
  const [constraint, message] = kind ?? constraints[0];
  return inChinese(constraint, message, field);
}

/** How deep a request's JSON may nest; no request of this API nests more than a few levels. */
export const MAX_INPUT_DEPTH = 32;

/**
 * The first text in a request that no service can take: a NUL character (PostgreSQL refuses
 * it in text and jsonb) anywhere in a value or a key, or nesting deeper than MAX_INPUT_DEPTH
 * (walking it would overflow the stack). Checked before anything else reads the request.
 */
export function findUnusableInput(value: unknown, path = '', depth = 0): FieldProblem | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? { field: path, message: `${path || '请求内容'} 含有不允许的空字符（U+0000），请删除` }
      : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_INPUT_DEPTH) return { field: path, message: `请求内容嵌套超过 ${MAX_INPUT_DEPTH} 层，无法处理` };
  const isArray = Array.isArray(value);
  for (const key of Object.keys(value)) {
    const at = isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000'))
      return { field: at.split('\u0000').join('\\u0000'), message: '请求中的字段名含有不允许的空字符（U+0000）' };
    const problem = findUnusableInput((value as Record<string, unknown>)[key], at, depth + 1);
    if (problem) return problem;
  }
  return undefined;
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

/** How an app names a request's field in Chinese (the gateway: from its API descriptions). */
export type FieldLabeler = (metatype: ArgumentMetadata['metatype'], field: string) => string | undefined;

/**
 * The pipe every app uses, on the bus and over HTTP: every argument (body, query, route
 * parameters — also bodies no class describes, like a form) is first checked for unusable
 * input; then unknown fields are refused, and a failure is a VALIDATION_FAILED DomainError
 * listing every field. A type with a hand-written check (`@FastValidation`, the hottest
 * requests) is taken from it when valid; anything else goes through class-validator.
 * `fastChecks: false` (its specs) always does.
 */
export function createValidationPipe(
  options: { fieldLabel?: FieldLabeler; fastChecks?: boolean } = {},
): ValidationPipe {
  return new InputValidationPipe(
    {
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) =>
        new DomainError(CommonErrorCodes.VALIDATION_FAILED, '请求参数有误', flattenValidationErrors(errors)),
    },
    options.fieldLabel,
    options.fastChecks ?? true,
  );
}

class InputValidationPipe extends ValidationPipe {
  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly fieldLabel?: FieldLabeler,
    private readonly fastChecks = true,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // `custom` arguments are built by our own decorators (the actor), not read from the request.
    if (metadata.type !== 'custom') {
      const problem = findUnusableInput(value, metadata.data ?? '');
      if (problem)
        throw new DomainError(CommonErrorCodes.VALIDATION_FAILED, '请求参数有误', [this.labelled(problem, metadata)]);
      // A whole argument of a type with a hand-written check: its instance when the value is valid.
      const fast = this.fastChecks && !metadata.data ? fastCheckOf(metadata.metatype)?.(value) : undefined;
      if (fast !== undefined) return fast;
    }
    return super.transform(value, metadata);
  }

  /** `name 含有…` → `联系人姓名（name）含有…` when the app knows the field's Chinese name. */
  private labelled(problem: FieldProblem, metadata: ArgumentMetadata): FieldProblem {
    const top = problem.field.split(/[.[]/)[0];
    const label = top ? this.fieldLabel?.(metadata.metatype, top) : undefined;
    if (!label || !problem.message.startsWith(`${problem.field} `)) return problem;
    return { ...problem, message: `${label}（${problem.field}）${problem.message.slice(problem.field.length + 1)}` };
  }
}
