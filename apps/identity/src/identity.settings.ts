import {
  AccountSettings,
  ActorVerificationSettings,
  AuditSettings,
  BASE_SETTINGS,
  DataDirSettings,
  DatabaseSettings,
  EncryptionSettings,
  JwtSettings,
  LoginSettings,
  SettingsOf,
  StorageSettings,
} from '@app/platform';

/** The settings identity reads; validated when it boots (README, "Configuration"). */
export const IDENTITY_SETTINGS = [
  ...BASE_SETTINGS,
  ActorVerificationSettings,
  DatabaseSettings,
  JwtSettings,
  EncryptionSettings,
  AccountSettings,
  LoginSettings,
  ActorVerificationSettings,
  AuditSettings,
  // Where generated first-start passwords are handed over outside `npm start` (a file, never the log).
  DataDirSettings,
  StorageSettings,
] as const;

export type IdentityConfig = SettingsOf<typeof IDENTITY_SETTINGS>;
