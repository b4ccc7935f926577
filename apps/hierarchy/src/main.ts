import { runService } from '@app/platform';
import { HierarchyModule } from './hierarchy.module';
import { HIERARCHY_SETTINGS } from './hierarchy.settings';

void runService('hierarchy', HIERARCHY_SETTINGS, (runtime) => HierarchyModule.register(runtime));
