import {
  AccountSettings,
  AuditSettings,
  BASE_SETTINGS,
  DatabaseSettings,
  EncryptionSettings,
  JwtSettings,
  SettingsOf,
} from '@app/platform';

/** The settings identity reads; validated when it boots (README, "Configuration"). */
export const IDENTITY_SETTINGS = [
  ...BASE_SETTINGS,
  DatabaseSettings,
  JwtSettings,
  EncryptionSettings,
  AccountSettings,
  AuditSettings,
] as const;

export type IdentityConfig = SettingsOf<typeof IDENTITY_SETTINGS>;
