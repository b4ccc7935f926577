import { DynamicModule } from '@nestjs/common';
import { ServiceName } from '@app/contracts';
import { ServiceRuntime, SettingsClass } from '@app/platform';
import { AssessmentModule } from '../../assessment/src/assessment.module';
import { ASSESSMENT_SETTINGS } from '../../assessment/src/assessment.settings';
import { GATEWAY_SETTINGS } from '../../gateway/src/gateway.settings';
import { FilesModule } from '../../files/src/files.module';
import { FILES_SETTINGS } from '../../files/src/files.settings';
import { HierarchyModule } from '../../hierarchy/src/hierarchy.module';
import { HIERARCHY_SETTINGS } from '../../hierarchy/src/hierarchy.settings';
import { IdentityModule } from '../../identity/src/identity.module';
import { IDENTITY_SETTINGS } from '../../identity/src/identity.settings';
import { IntakeModule } from '../../intake/src/intake.module';
import { INTAKE_SETTINGS } from '../../intake/src/intake.settings';
import { NotificationModule } from '../../notification/src/notification.module';
import { NOTIFICATION_SETTINGS } from '../../notification/src/notification.settings';
import { ReviewModule } from '../../review/src/review.module';
import { REVIEW_SETTINGS } from '../../review/src/review.settings';

/** Every bus service's root module. Only the launcher (and tests) import more than one. */
export const SERVICE_MODULES: Record<ServiceName, (runtime: ServiceRuntime) => DynamicModule> = {
  identity: (runtime) => IdentityModule.register(runtime),
  hierarchy: (runtime) => HierarchyModule.register(runtime),
  intake: (runtime) => IntakeModule.register(runtime),
  review: (runtime) => ReviewModule.register(runtime),
  files: (runtime) => FilesModule.register(runtime),
  notification: (runtime) => NotificationModule.register(runtime),
  assessment: (runtime) => AssessmentModule.register(runtime),
};

export type AppName = 'gateway' | ServiceName;

/** The settings each app declares (what it reads when run on its own, `npm run start:svc`). */
export const APP_SETTINGS: Record<AppName, readonly SettingsClass[]> = {
  gateway: GATEWAY_SETTINGS,
  identity: IDENTITY_SETTINGS,
  hierarchy: HIERARCHY_SETTINGS,
  intake: INTAKE_SETTINGS,
  review: REVIEW_SETTINGS,
  files: FILES_SETTINGS,
  notification: NOTIFICATION_SETTINGS,
  assessment: ASSESSMENT_SETTINGS,
};
