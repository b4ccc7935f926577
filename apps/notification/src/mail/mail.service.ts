import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SendMailRequest } from '@app/contracts';
import { APP_CONFIG, EncryptionSettings, FieldCipher, MailSettings, PollingLoop, returningRows } from '@app/platform';
import { DataSource } from 'typeorm';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';

const POLL_MS = 1000;
const BATCH = 20;

interface DueMail {
  id: string;
  key: string;
  recipients: string[];
  subject: string;
  body: string;
  body_sealed: boolean;
  attempts: number;
}

/**
 * Mail is stored first (idempotent per key, so a message delivered twice by an outbox is
 * sent once), then sent by a worker that retries with backoff until the server accepts it.
 * A body may carry a secret (the 校验码): it is stored sealed (AES-256-GCM, bound to the
 * mail's key) and emptied once the server has accepted the mail.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private readonly loop = new PollingLoop('mail', POLL_MS, async () => (await this.sendRound()) === BATCH, this.logger);
  private readonly cipher: FieldCipher;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: EncryptionSettings & MailSettings,
  ) {
    this.cipher = new FieldCipher(config.ENCRYPTION_KEY);
  }

  async enqueue(request: SendMailRequest): Promise<{ id: string }> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO mail (key, recipients, subject, body, body_sealed) VALUES ($1, $2, $3, $4, true)
       ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
      [request.key, request.to, request.subject, this.cipher.encrypt(request.text, mailContext(request.key))],
    );
    this.loop.trigger();
    return { id: row.id };
  }

  onApplicationBootstrap(): void {
    this.loop.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    this.transport.close();
  }

  /** One round: due messages are locked while being sent, so replicas never send one twice. */
  async sendRound(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due: DueMail[] = await manager.query(
        `SELECT id, key, recipients, subject, body, body_sealed, attempts FROM mail WHERE status = 'PENDING' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      for (const mail of due) {
        try {
          const text = mail.body_sealed ? this.cipher.decrypt(mail.body, mailContext(mail.key)) : mail.body;
          await this.transport.send({
            id: mail.id,
            from: this.config.MAIL_FROM,
            to: mail.recipients,
            subject: mail.subject,
            text,
          });
          await manager.query(
            `UPDATE mail SET status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = NULL, body = '' WHERE id = $1`,
            [mail.id],
          );
        } catch (err) {
          const delaySeconds = Math.min(600, 2 ** Math.min(mail.attempts, 10));
          this.logger.warn({
            msg: 'mail not sent, will retry',
            mailId: mail.id,
            attempts: mail.attempts + 1,
            error: err instanceof Error ? err.message : String(err),
          });
          await returningRows(
            manager,
            `UPDATE mail SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1 RETURNING id`,
            [mail.id, String(err), delaySeconds],
          );
        }
      }
      return due.length;
    });
  }
}

/** The associated data that binds a sealed body to its own mail row. */
function mailContext(key: string): string {
  return `mail:${key}`;
}
