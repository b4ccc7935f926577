// One rule per field kind: the pattern a (normalized) value must match, the message when it
// does not, and how to recognise "two values typed into one field" (docs/DOMAIN.md: each holds ONE).
import { FieldKind } from './field';

export interface KindRule {
  /** Source of an ECMAScript pattern, anchored; also emitted into the JSON Schema. */
  readonly pattern?: string;
  /** Message when the pattern fails; `{label}` is replaced by the field's label. */
  readonly message?: string;
  /** What one value is called in the "only one" message: 一个电话号码. */
  readonly noun?: string;
  /** Characters that separate two values typed into one field. */
  readonly separators?: RegExp;
  /** A loose test: does this fragment look like a value of this kind on its own? */
  readonly looksLikeValue?: (part: string) => boolean;
  /** Whether values are folded from full-width before checking (coded fields) or only trimmed. */
  readonly fold: boolean;
}

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const HOST_LABEL = '[^\\s/?#:@.,;]+';

export const PHONE_PATTERN = '^0\\d{2,3}-\\d{7,8}(-\\d{1,6})?$';
export const MOBILE_PATTERN = '^1\\d{10}$';
export const EMAIL_PATTERN =
  "^[A-Za-z0-9_%+'-]+(\\.[A-Za-z0-9_%+'-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$";
export const URL_PATTERN = `^https?://${HOST_LABEL}(\\.${HOST_LABEL})+(:\\d{1,5})?([/?#]\\S*)?$`;
export const ICP_PATTERN = `^[${PROVINCES}]ICP备\\d{6,10}号(-\\d{1,3})?$`;
export const PSB_PATTERN = `^[${PROVINCES}]公网安备\\d{14}号$`;

const LIST_SEPARATORS = /[;,、/\s]+/;
const URL_SEPARATORS = /[;,、\s]+/;
const hasDigits = (min: number) => (part: string) => (part.match(/\d/g)?.length ?? 0) >= min;

export const KIND_RULES: Record<FieldKind, KindRule> = {
  text: { fold: false },
  enum: { fold: true },
  phone: {
    pattern: PHONE_PATTERN,
    message: '{label}应为“区号-号码”，可带“-分机”，如 010-62345678',
    noun: '一个电话号码',
    separators: LIST_SEPARATORS,
    looksLikeValue: hasDigits(7),
    fold: true,
  },
  mobile: {
    pattern: MOBILE_PATTERN,
    message: '手机号应为11位数字',
    noun: '一个手机号',
    separators: LIST_SEPARATORS,
    looksLikeValue: hasDigits(11),
    fold: true,
  },
  email: {
    pattern: EMAIL_PATTERN,
    message: '{label}应为一个电子邮箱地址，如 name@example.gov.cn',
    noun: '一个电子邮箱',
    separators: LIST_SEPARATORS,
    looksLikeValue: (part) => part.includes('@'),
    fold: true,
  },
  url: {
    pattern: URL_PATTERN,
    message: '{label}应为以 http:// 或 https:// 开头的网址，如 http://www.example.gov.cn',
    noun: '一个网址',
    separators: URL_SEPARATORS,
    looksLikeValue: (part) => /^(https?:\/\/|www\.)/i.test(part),
    fold: true,
  },
  icp: {
    pattern: ICP_PATTERN,
    message: '{label}应如 京ICP备05070218号（省份简称+ICP备+6至10位数字+号，可带“-1”这样的后缀）',
    noun: '一个ICP备案号',
    separators: LIST_SEPARATORS,
    looksLikeValue: (part) => /ICP/i.test(part),
    fold: true,
  },
  psb: {
    pattern: PSB_PATTERN,
    message: '{label}应如 京公网安备11010502030143号（省份简称+公网安备+14位数字+号）',
    noun: '一个公安机关备案号',
    separators: LIST_SEPARATORS,
    looksLikeValue: (part) => part.includes('公网安备'),
    fold: true,
  },
};

/** Whether a field holds two values (`010-1234567；010-7654321`) rather than one mistyped value. */
export function holdsSeveralValues(rule: KindRule, value: string): boolean {
  if (!rule.separators || !rule.looksLikeValue) return false;
  // No separator, one part: the common case, decided without splitting.
  if (!rule.separators.test(value)) return false;
  const parts = value.split(rule.separators).filter((part) => part.length > 0);
  return parts.filter(rule.looksLikeValue).length >= 2;
}
