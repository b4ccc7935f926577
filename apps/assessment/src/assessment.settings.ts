import {
  ActorVerificationSettings,
  BASE_SETTINGS,
  DatabaseSettings,
  MonitorSettings,
  SettingsOf,
  StorageSettings,
} from '@app/platform';

/** The settings assessment reads; validated when it boots (README, "Configuration"). */
export const ASSESSMENT_SETTINGS = [
  ...BASE_SETTINGS,
  ActorVerificationSettings,
  DatabaseSettings,
  MonitorSettings,
  // Evidence files: removing deleted and abandoned ones from the evidence bucket.
  StorageSettings,
] as const;

export type AssessmentConfig = SettingsOf<typeof ASSESSMENT_SETTINGS>;
