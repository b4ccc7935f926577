import { runService } from '@app/platform';
import { AssessmentModule } from './assessment.module';
import { ASSESSMENT_SETTINGS } from './assessment.settings';

void runService('assessment', ASSESSMENT_SETTINGS, (runtime) => AssessmentModule.register(runtime));
