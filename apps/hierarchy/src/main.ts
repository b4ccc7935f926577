import { runService } from '@app/platform';
import { HierarchyModule } from './hierarchy.module';

void runService('hierarchy', (runtime) => HierarchyModule.register(runtime));
