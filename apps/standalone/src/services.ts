import { DynamicModule } from '@nestjs/common';
import { ServiceName } from '@app/contracts';
import { ServiceRuntime } from '@app/platform';
import { FilesModule } from '../../files/src/files.module';
import { HierarchyModule } from '../../hierarchy/src/hierarchy.module';
import { IdentityModule } from '../../identity/src/identity.module';
import { IntakeModule } from '../../intake/src/intake.module';
import { NotificationModule } from '../../notification/src/notification.module';
import { ReviewModule } from '../../review/src/review.module';

/** Every bus service's root module. Only the launcher (and tests) import more than one. */
export const SERVICE_MODULES: Record<ServiceName, (runtime: ServiceRuntime) => DynamicModule> = {
  identity: (runtime) => IdentityModule.register(runtime),
  hierarchy: (runtime) => HierarchyModule.register(runtime),
  intake: (runtime) => IntakeModule.register(runtime),
  review: (runtime) => ReviewModule.register(runtime),
  files: (runtime) => FilesModule.register(runtime),
  notification: (runtime) => NotificationModule.register(runtime),
};
