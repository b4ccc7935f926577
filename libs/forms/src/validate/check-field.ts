// Checks one field value against its definition: type, normalization, required, length,
// forbidden characters (controls, bidi overrides), options, one-value-only, the kind's pattern and length, in that order; the first failure wins.
import { FieldDef } from '../schema/field';
import { holdsSeveralValues, KIND_RULES } from '../schema/rules';
import { normalizeText, trimText } from '../normalize';
import { forbiddenCharacter, forbiddenCharacterMessage } from '../text-safety';

export type FieldCheck = { value: string; message?: undefined } | { value?: undefined; message: string };

/** Each kind's pattern, compiled once (an import checks tens of thousands of fields). */
const PATTERNS = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let pattern = PATTERNS.get(source);
  if (!pattern) PATTERNS.set(source, (pattern = new RegExp(source)));
  return pattern;
}

/**
 * `label` is what the messages call the field; a function is only called when there is a
 * message to write (a valid field never needs its label, and most fields are valid).
 */
export function checkField(def: FieldDef, label: string | (() => string), raw: unknown): FieldCheck {
  const name = typeof label === 'string' ? () => label : label;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') return { message: `${name()}应为文字` };
  // Before trimming: a trailing control character is refused, not silently cut off.
  const forbidden = forbiddenCharacter(raw ?? '');
  if (forbidden) return { message: forbiddenCharacterMessage(name(), forbidden) };
  const rule = KIND_RULES[def.kind];
  const value = rule.fold ? normalizeText(raw ?? '') : trimText(raw ?? '');
  if (value === '') return def.required ? { message: `请填写${name()}` } : { value };
  if (def.options) return checkOption(def, name(), value);
  if (holdsSeveralValues(rule, value)) return { message: `${name()}只能填写${rule.noun}，不能填写多个` };
  if (rule.pattern && !patternOf(rule.pattern).test(value)) {
    return { message: (rule.message ?? `${name()}格式不正确`).replace('{label}', name()) };
  }
  // Code points, not UTF-16 units (an emoji is one 字); never more than the units, so counted only when they exceed.
  if (value.length > def.maxLength) {
    const length = [...value].length;
    if (length > def.maxLength) return { message: `${name()}不能超过${def.maxLength}个字（现有${length}个）` };
  }
  return { value };
}

function checkOption(def: FieldDef, label: string, value: string): FieldCheck {
  const options = def.options ?? [];
  if (options.some((option) => option.value === value)) return { value };
  // Labels only: the stored values (own-portal, …) are codes no clerk should have to read.
  const allowed = options.map((option) => option.label).join('、');
  return { message: `${label}应为以下之一：${allowed}` };
}
