import { runService } from '@app/platform';
import { IdentityModule } from './identity.module';
import { IDENTITY_SETTINGS } from './identity.settings';

void runService('identity', IDENTITY_SETTINGS, (runtime) => IdentityModule.register(runtime));
