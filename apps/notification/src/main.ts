import { runService } from '@app/platform';
import { NotificationModule } from './notification.module';
import { NOTIFICATION_SETTINGS } from './notification.settings';

void runService('notification', NOTIFICATION_SETTINGS, (runtime) => NotificationModule.register(runtime));
