import { ActorVerificationSettings, BASE_SETTINGS, DatabaseSettings, SettingsOf } from '@app/platform';

/** The settings assessment reads; validated when it boots (README, "Configuration"). */
export const ASSESSMENT_SETTINGS = [...BASE_SETTINGS, ActorVerificationSettings, DatabaseSettings] as const;

export type AssessmentConfig = SettingsOf<typeof ASSESSMENT_SETTINGS>;
