import { ActorVerificationSettings, BASE_SETTINGS, DatabaseSettings, MonitorSettings, SettingsOf } from '@app/platform';

/** The settings assessment reads; validated when it boots (README, "Configuration"). */
export const ASSESSMENT_SETTINGS = [
  ...BASE_SETTINGS,
  ActorVerificationSettings,
  DatabaseSettings,
  MonitorSettings,
] as const;

export type AssessmentConfig = SettingsOf<typeof ASSESSMENT_SETTINGS>;
