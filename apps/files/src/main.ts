import { runService } from '@app/platform';
import { FilesModule } from './files.module';

void runService('files', (runtime) => FilesModule.register(runtime));
