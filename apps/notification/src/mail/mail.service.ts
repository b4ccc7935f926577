import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SendMailRequest, SendMailsRequest } from '@app/contracts';
import {
  APP_CONFIG,
  EncryptionSettings,
  fieldCipherOf,
  FieldCipher,
  Job,
  JobRunner,
  MailSettings,
} from '@app/platform';
import { DataSource } from 'typeorm';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { MailRepository, PendingMail } from './mail.repository';

/**
 * Mail is stored first (idempotent per key, so a message delivered twice by an outbox is
 * sent once), then sent by a work queue (JobRunner) that retries with backoff until the
 * server accepts it; a mail being sent is locked, so replicas never send one twice.
 * A body may carry a secret (the 校验码): it is stored sealed (AES-256-GCM, bound to the
 * mail's key) and emptied once the server has accepted the mail.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly cipher: FieldCipher;
  private readonly runner: JobRunner<PendingMail>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly mails: MailRepository,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: EncryptionSettings & MailSettings,
  ) {
    if (!config.ENCRYPTION_KEY)
      throw new Error(
        'ENCRYPTION_KEY is required by notification (the launcher generates one for the embedded default)',
      );
    this.cipher = fieldCipherOf(config);
    this.runner = new JobRunner(
      dataSource,
      mails.queue,
      {
        perform: (job) => this.send(job),
        succeeded: (manager, job) => mails.markSent(manager, job.id),
      },
      { name: 'mail', pollMs: 1000, batchSize: 20, concurrency: 1, backoff: { baseMs: 1000, maxMs: 600_000 } },
    );
  }

  enqueue(request: SendMailRequest): Promise<{ id: string }> {
    return this.mails.enqueue({
      key: request.key,
      to: request.to,
      subject: request.subject,
      sealedBody: this.cipher.encrypt(request.text, mailContext(request.key)),
    });
  }

  /** Several mails in one transaction (a batch approval's code mails); answers how many were new. */
  async enqueueMany(request: SendMailsRequest): Promise<{ stored: number }> {
    const stored = await this.mails.enqueueMany(
      request.mails.map((mail) => ({
        key: mail.key,
        to: mail.to,
        subject: mail.subject,
        sealedBody: this.cipher.encrypt(mail.text, mailContext(mail.key)),
      })),
    );
    return { stored };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    this.transport.close();
  }

  private async send({ id, row: mail }: Job<PendingMail>): Promise<void> {
    const text = mail.body_sealed ? this.cipher.decrypt(mail.body, mailContext(mail.key)) : mail.body;
    await this.transport.send({ id, from: this.config.MAIL_FROM, to: mail.recipients, subject: mail.subject, text });
  }
}

/** The associated data that binds a sealed body to its own mail row. */
function mailContext(key: string): string {
  return `mail:${key}`;
}
