import type { ArgumentMetadata } from '@nestjs/common';

/** Where @ApiProperty keeps a property's options (@nestjs/swagger's DECORATORS.API_MODEL_PROPERTIES). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/** Fields whose classes carry no API description (the login body, route parameters). */
const KNOWN: Record<string, string> = { username: '账号', password: '密码' };

/**
 * A request field's Chinese name for validation messages: the start of its API description
 * (`联系人姓名（与登记的一致）` → 联系人姓名), so the message a user reads and the API docs agree.
 */
export function fieldLabel(metatype: ArgumentMetadata['metatype'], field: string): string | undefined {
  const prototype = (metatype as { prototype?: object } | undefined)?.prototype;
  const property = prototype
    ? (Reflect.getMetadata(API_MODEL_PROPERTIES, prototype, field) as { description?: unknown } | undefined)
    : undefined;
  const description = typeof property?.description === 'string' ? property.description : undefined;
  const label = description?.split(/[：:，,（(]/)[0].trim();
  return label || KNOWN[field];
}
