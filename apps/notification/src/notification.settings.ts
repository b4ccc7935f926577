import {
  ActorVerificationSettings,
  BASE_SETTINGS,
  DatabaseSettings,
  DataDirSettings,
  EncryptionSettings,
  MailSettings,
  SettingsOf,
} from '@app/platform';

/** The settings notification reads; validated when it boots (README, "Configuration"). */
export const NOTIFICATION_SETTINGS = [
  ...BASE_SETTINGS,
  ActorVerificationSettings,
  DatabaseSettings,
  EncryptionSettings,
  MailSettings,
  DataDirSettings,
] as const;

export type NotificationConfig = SettingsOf<typeof NOTIFICATION_SETTINGS>;
