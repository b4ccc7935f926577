import { BusTransport } from '../bus/transport';
import { AppConfig } from '../config/app-config';

/** What every app module is built from: validated config and the chosen transport. */
export interface ServiceRuntime {
  config: AppConfig;
  transport: BusTransport;
}
