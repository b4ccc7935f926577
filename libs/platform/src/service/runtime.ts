import { BusTransport } from '../bus/transport';
import { AppConfig, SettingsOf } from '../config/app-config';
import { BASE_SETTINGS } from '../config/settings';

/** What every app reads: the bus and the log. */
export type BaseConfig = SettingsOf<typeof BASE_SETTINGS>;

/**
 * What every app module is built from: validated config (the app's own sections; the
 * launcher and tests pass the whole system's) and the chosen transport.
 */
export interface ServiceRuntime<C extends BaseConfig = AppConfig> {
  config: C;
  transport: BusTransport;
  /**
   * The process runs on an operator's terminal (`npm start`): what is meant for the operator
   * alone (first-start passwords) is printed there. Unset (a pod, a test): never printed; it
   * goes to a file under DATA_DIR and the log names only the file.
   */
  terminal?: boolean;
}
