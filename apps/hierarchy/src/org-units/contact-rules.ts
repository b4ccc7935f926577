import { OrgUnitContact } from '@app/contracts';
import { checkField, field, FieldDef } from '@app/forms';

/** A unit's contact, checked with the same field rules as the form (docs/DOMAIN.md, The form). */
const CONTACT_FIELDS: ReadonlyArray<FieldDef & { key: keyof OrgUnitContact }> = [
  field('name', '联系人姓名', 'text', true, { maxLength: 50 }) as FieldDef & { key: 'name' },
  field('officePhone', '办公电话', 'phone', true) as FieldDef & { key: 'officePhone' },
  field('mobile', '手机', 'mobile', true) as FieldDef & { key: 'mobile' },
  field('email', '电子邮箱', 'email', true) as FieldDef & { key: 'email' },
  field('department', '所在处室', 'text', true, { maxLength: 100 }) as FieldDef & { key: 'department' },
];

export interface ContactCheck {
  value?: OrgUnitContact;
  errors: Array<{ field: string; label: string; message: string }>;
}

/** Normalises (trim, full-width folding) and checks every field; lists every problem. */
export function checkContact(input: Record<keyof OrgUnitContact, unknown>): ContactCheck {
  const value: Partial<OrgUnitContact> = {};
  const errors: ContactCheck['errors'] = [];
  for (const def of CONTACT_FIELDS) {
    const result = checkField(def, def.label, input[def.key]);
    if (result.message !== undefined) errors.push({ field: def.key, label: def.label, message: result.message });
    else value[def.key] = result.value;
  }
  return errors.length ? { errors } : { value: value as OrgUnitContact, errors };
}
