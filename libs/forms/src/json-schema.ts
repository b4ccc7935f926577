// The JSON Schema (draft 2020-12) of a form file as it sits in a package, i.e. AFTER
// normalization: values are trimmed and coded fields folded from full-width before the
// patterns apply (see `x-normalize`). Served at GET /api/v1/public/form-schema.
import { FieldDef, SectionDef } from './schema/field';
import {
  COLUMN_FIELDS,
  COLUMNS_LABEL,
  ENVELOPE_LABELS,
  FORM_TITLE,
  FORM_TYPE,
  MAX_COLUMNS,
  SCHEMA_VERSION,
  SECTIONS,
} from './schema/definition';
import { KIND_RULES } from './schema/rules';

export type JsonSchema = Record<string, unknown>;

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

export function toJsonSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    id: { type: 'string', title: ENVELOPE_LABELS.id, pattern: UUID_PATTERN },
    type: { const: FORM_TYPE, title: ENVELOPE_LABELS.type },
    schemaVersion: { const: SCHEMA_VERSION, title: ENVELOPE_LABELS.schemaVersion },
    updatedAt: { type: 'string', format: 'date-time', title: ENVELOPE_LABELS.updatedAt },
  };
  for (const section of SECTIONS) properties[section.key] = sectionSchema(section);
  properties.columns = {
    type: 'array',
    title: COLUMNS_LABEL,
    minItems: 0,
    maxItems: MAX_COLUMNS,
    items: objectSchema('栏目（系统）', COLUMN_FIELDS),
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:gov-site-report:form:${FORM_TYPE}:${SCHEMA_VERSION}`,
    title: FORM_TITLE,
    description:
      '政府网站基本信息表（一个网站一张表）。校验前会去掉首尾空格，并把电话、网址、邮箱等字段中的全角字符转为半角。',
    'x-normalize': 'trim; full-width ASCII folded to half-width in coded fields (x-fold)',
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties),
    properties,
  };
}

function sectionSchema(section: SectionDef): JsonSchema {
  const schema = objectSchema(section.label, section.fields);
  const titles = schema.properties as Record<string, JsonSchema>;
  for (const def of section.fields) titles[def.key].title = `${section.labelPrefix}${def.label}`;
  return schema;
}

function objectSchema(title: string, fields: readonly FieldDef[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const def of fields) properties[def.key] = fieldSchema(def);
  return {
    type: 'object',
    title,
    additionalProperties: false,
    required: fields.map((def) => def.key),
    properties,
  };
}

/** Every key is present in a form file; an optional field that is empty holds ''. */
function fieldSchema(def: FieldDef): JsonSchema {
  const rule = KIND_RULES[def.kind];
  const schema: JsonSchema = {
    type: 'string',
    title: def.label,
    maxLength: def.maxLength,
    'x-fold': rule.fold,
    'x-required': def.required,
  };
  if (def.example) schema.examples = [def.example];
  if (def.options) {
    const options = def.options.map((option) => ({ const: option.value, title: option.label }));
    schema.oneOf = def.required ? options : [...options, { const: '', title: '（未填写）' }];
    return schema;
  }
  if (def.required) schema.minLength = 1;
  if (rule.pattern) schema.pattern = def.required ? rule.pattern : `^$|${rule.pattern}`;
  else if (def.required) schema.pattern = '\\S';
  return schema;
}
