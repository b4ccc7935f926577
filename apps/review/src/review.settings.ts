import {
  ActorVerificationSettings,
  BASE_SETTINGS,
  DatabaseSettings,
  EncryptionSettings,
  SettingsOf,
  StorageSettings,
} from '@app/platform';

/** The settings review reads; validated when it boots (README, "Configuration"). */
export const REVIEW_SETTINGS = [
  ...BASE_SETTINGS,
  ActorVerificationSettings,
  DatabaseSettings,
  EncryptionSettings,
  StorageSettings,
] as const;

export type ReviewConfig = SettingsOf<typeof REVIEW_SETTINGS>;
