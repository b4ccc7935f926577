// @app/forms — the one definition of 政府网站基本信息表 and its rules. Browser-safe: no node:
// imports, so the offline client bundles the very same code as the server.
export * from './schema/field';
export * from './schema/definition';
export * from './schema/rules';
export * from './schema/types';
export { foldFullWidth, normalizeText, trimText } from './normalize';
export { validateForm, isPlainObject } from './validate/validate-form';
export { checkField } from './validate/check-field';
export type { FieldCheck } from './validate/check-field';
export { isFormId, newFormId } from './form-id';
export { createBlankForm, createBlankColumn, toIsoWithOffset } from './blank-form';
export { toJsonSchema } from './json-schema';
export type { JsonSchema } from './json-schema';
export { createSampleForm } from './sample-form';
export * from './template-columns';
export { forbiddenCharacter, forbiddenCharacterMessage, showForbiddenCharacters } from './text-safety';
