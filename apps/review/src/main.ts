import { runService } from '@app/platform';
import { ReviewModule } from './review.module';
import { REVIEW_SETTINGS } from './review.settings';

void runService('review', REVIEW_SETTINGS, (runtime) => ReviewModule.register(runtime));
