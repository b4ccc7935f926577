import {
  ActorSigningSettings,
  BASE_SETTINGS,
  ExportSettings,
  HttpSettings,
  JwtSettings,
  SessionSettings,
  GatewayUploadSettings,
  SettingsOf,
  StorageSettings,
  UploadSettings,
} from '@app/platform/core';

/** The settings gateway reads; validated when it boots (README, "Configuration"). */
export const GATEWAY_SETTINGS = [
  ...BASE_SETTINGS,
  ActorSigningSettings,
  HttpSettings,
  JwtSettings,
  SessionSettings,
  StorageSettings,
  UploadSettings,
  GatewayUploadSettings,
  ExportSettings,
] as const;

export type GatewayConfig = SettingsOf<typeof GATEWAY_SETTINGS>;
