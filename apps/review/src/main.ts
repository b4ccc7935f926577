import { runService } from '@app/platform';
import { ReviewModule } from './review.module';

void runService('review', (runtime) => ReviewModule.register(runtime));
