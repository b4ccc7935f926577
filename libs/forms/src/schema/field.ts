// The building blocks of the form definition. A field says what it holds (its kind), how
// users name it (label), and the limits the validator, the JSON Schema and the Excel
// template all derive from.

/** What a field holds; each kind has one rule in rules.ts. */
export type FieldKind = 'text' | 'url' | 'phone' | 'mobile' | 'email' | 'icp' | 'psb' | 'enum';

export interface EnumOption {
  /** Stored value (English). */
  readonly value: string;
  /** What users see and may type in the Excel template. */
  readonly label: string;
}

export interface FieldDef {
  readonly key: string;
  /** Chinese label as shown on its own, e.g. 手机. */
  readonly label: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly maxLength: number;
  readonly options?: readonly EnumOption[];
  /** An example value, shown as the input placeholder. */
  readonly example?: string;
}

export interface SectionDef {
  readonly key: string;
  /** Chinese section name, e.g. 负责人. */
  readonly label: string;
  /** Prefixed to field labels to name a field on its own (负责人 + 手机 → 负责人手机). */
  readonly labelPrefix: string;
  readonly fields: readonly FieldDef[];
}

/** Builds a field definition with the defaults most text fields share. */
export function field(
  key: string,
  label: string,
  kind: FieldKind,
  required: boolean,
  extra: Partial<FieldDef> = {},
): FieldDef {
  return { key, label, kind, required, maxLength: DEFAULT_MAX_LENGTH[kind], ...extra };
}

const DEFAULT_MAX_LENGTH: Record<FieldKind, number> = {
  text: 100,
  url: 500,
  phone: 30,
  mobile: 11,
  email: 100,
  icp: 40,
  psb: 40,
  enum: 40,
};
