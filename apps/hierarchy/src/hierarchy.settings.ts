import { ActorVerificationSettings, BASE_SETTINGS, DatabaseSettings, SeedSettings, SettingsOf } from '@app/platform';

/** The settings hierarchy reads; validated when it boots (README, "Configuration"). */
export const HIERARCHY_SETTINGS = [
  ...BASE_SETTINGS,
  ActorVerificationSettings,
  DatabaseSettings,
  SeedSettings,
] as const;

export type HierarchyConfig = SettingsOf<typeof HIERARCHY_SETTINGS>;
