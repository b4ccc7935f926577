import { runService } from '@app/platform';
import { IntakeModule } from './intake.module';

void runService('intake', (runtime) => IntakeModule.register(runtime));
