import { runService } from '@app/platform';
import { NotificationModule } from './notification.module';

void runService('notification', (runtime) => NotificationModule.register(runtime));
