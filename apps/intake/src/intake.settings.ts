import {
  ActorVerificationSettings,
  BASE_SETTINGS,
  DatabaseSettings,
  ImportJobSettings,
  SettingsOf,
  StorageSettings,
  UploadPolicySettings,
  UploadSettings,
} from '@app/platform';

/** The settings intake reads; validated when it boots (README, "Configuration"). */
export const INTAKE_SETTINGS = [
  ...BASE_SETTINGS,
  ActorVerificationSettings,
  DatabaseSettings,
  StorageSettings,
  UploadSettings,
  UploadPolicySettings,
  ImportJobSettings,
] as const;

export type IntakeConfig = SettingsOf<typeof INTAKE_SETTINGS>;
