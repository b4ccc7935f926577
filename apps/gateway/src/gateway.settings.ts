import {
  BASE_SETTINGS,
  GatewayUploadSettings,
  HttpSettings,
  JwtSettings,
  SettingsOf,
  StorageSettings,
  UploadSettings,
} from '@app/platform';

/** The settings gateway reads; validated when it boots (README, "Configuration"). */
export const GATEWAY_SETTINGS = [
  ...BASE_SETTINGS,
  HttpSettings,
  JwtSettings,
  StorageSettings,
  UploadSettings,
  GatewayUploadSettings,
] as const;

export type GatewayConfig = SettingsOf<typeof GATEWAY_SETTINGS>;
