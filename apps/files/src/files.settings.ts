import {
  ActorVerificationSettings,
  BASE_SETTINGS,
  DatabaseSettings,
  ExportJobSettings,
  SettingsOf,
  StorageSettings,
} from '@app/platform';

/** The settings files reads; validated when it boots (README, "Configuration"). */
export const FILES_SETTINGS = [
  ...BASE_SETTINGS,
  ActorVerificationSettings,
  DatabaseSettings,
  StorageSettings,
  ExportJobSettings,
] as const;

export type FilesConfig = SettingsOf<typeof FILES_SETTINGS>;
