import { runService } from '@app/platform';
import { IdentityModule } from './identity.module';

void runService('identity', (runtime) => IdentityModule.register(runtime));
