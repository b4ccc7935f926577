import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, PlatformModule, ServiceRuntime } from '@app/platform';
import { join, resolve } from 'node:path';
import { FileMailTransport, MAIL_TRANSPORT, SmtpMailTransport } from './mail/mail-transport';
import { MailRepository } from './mail/mail.repository';
import { MailService } from './mail/mail.service';
import { CreateNoticesAndMail1764200000000 } from './migrations/1764200000000-CreateNoticesAndMail';
import { SealMailBodies1764300000000 } from './migrations/1764300000000-SealMailBodies';
import { NoticeRepository } from './notices/notice.repository';
import { NoticesService } from './notices/notices.service';
import { NotificationController } from './notification.controller';
import { NotificationConfig } from './notification.settings';

export const NOTIFICATION_MIGRATIONS = [CreateNoticesAndMail1764200000000, SealMailBodies1764300000000];

/** In-app notices and email delivery (SMTP, or .eml files under DATA_DIR/mail). */
@Module({})
export class NotificationModule {
  static register(runtime: ServiceRuntime<NotificationConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: NotificationModule,
      imports: [
        PlatformModule.forApp({ service: 'notification', ...runtime }),
        DatabaseModule.forService({
          service: 'notification',
          schema: 'notification',
          config,
          entities: [],
          migrations: NOTIFICATION_MIGRATIONS,
        }),
      ],
      controllers: [NotificationController],
      providers: [
        NoticeRepository,
        NoticesService,
        MailRepository,
        MailService,
        {
          provide: MAIL_TRANSPORT,
          useFactory: () =>
            config.SMTP_URL
              ? new SmtpMailTransport(config.SMTP_URL)
              : new FileMailTransport(join(resolve(config.DATA_DIR), 'mail')),
        },
      ],
    };
  }
}
