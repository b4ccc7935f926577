import { runService } from '@app/platform';
import { IntakeModule } from './intake.module';
import { INTAKE_SETTINGS } from './intake.settings';

void runService('intake', INTAKE_SETTINGS, (runtime) => IntakeModule.register(runtime));
