import { forbiddenCharacter, forbiddenCharacterMessage } from '@app/forms';
import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Refuses control characters and bidi overrides (U+202A–U+202E, U+2066–U+2069) in a name —
 * the same rule the form's fields follow (libs/forms text-safety) — or, with `multiline`,
 * in a free text that may keep line breaks (a reason). The message names the field in Chinese.
 */
export function NoControlCharacters(
  label: string,
  options: { multiline?: boolean } = {},
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'noControlCharacters',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !forbiddenCharacter(value, options),
        defaultMessage: (args) =>
          forbiddenCharacterMessage(label, forbiddenCharacter(String(args?.value ?? ''), options) ?? '控制字符'),
      },
    },
    validationOptions,
  );
}
