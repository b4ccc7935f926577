import { runService } from '@app/platform';
import { FilesModule } from './files.module';
import { FILES_SETTINGS } from './files.settings';

void runService('files', FILES_SETTINGS, (runtime) => FilesModule.register(runtime));
