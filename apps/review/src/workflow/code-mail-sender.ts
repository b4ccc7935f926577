import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MAX_MAILS_PER_MESSAGE, NotificationSubjects, SendMailRequest } from '@app/contracts';
import { BusClient, Job, JobContext, JobRunner, newCorrelationId } from '@app/platform';
import { isEmail } from 'class-validator';
import { DataSource } from 'typeorm';
import { CodeMailBatch, CodeMailRepository } from './code-mail.repository';
import { SiteCodes } from './site-codes';
import { siteCodeMail } from './workflow-messages';

/** Records read, rendered and handed to notification at a time; `sent` moves after each chunk. */
export const CODE_MAIL_CHUNK = 100;
/** A message to notification stays well under the bus's 1 MB (a mail is 1–6 KB). */
const MAX_MESSAGE_BYTES = 512 * 1024;
/** A sender that died loses its batch to another replica (or to itself restarted) this long after. */
export const CODE_MAIL_LEASE_MS = 15_000;

/**
 * Sends the code mails approvals queued by reference (`code_mail_batch`), a leased work queue
 * (JobRunner): a batch is taken with a lease; its records are read in chunks of
 * CODE_MAIL_CHUNK (the people of the current version, the 标识码, the 校验码 opened here), their
 * mails rendered and handed to notification (`notification.mail.sendMany`, stored there in one
 * transaction, once per key `site-code:<record id>`), and `sent` moves once notification has
 * answered. A sender that dies mid-batch loses its lease; the next holder resumes at `sent`,
 * sending at most one chunk again, which notification already has (same keys): each mail is
 * stored, and so sent, once. While notification is away the batch is retried with backoff
 * (1 s … 60 s), as the outbox would.
 */
@Injectable()
export class CodeMailSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('code-mail');
  private readonly runner: JobRunner<CodeMailBatch>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly batches: CodeMailRepository,
    private readonly siteCodes: SiteCodes,
    private readonly bus: BusClient,
  ) {
    this.runner = new JobRunner(
      dataSource,
      batches.queue,
      {
        perform: (job, context) => this.send(job, context),
        succeeded: (manager, job) => batches.markDone(manager, job.id),
        context: (job) => ({ correlationId: job.row.correlation_id ?? newCorrelationId(), service: 'review' }),
      },
      {
        name: 'code-mail',
        pollMs: 1000,
        // One batch at a time per process: a chunk holds a connection of review's pool, which
        // also serves the records' requests.
        batchSize: 10,
        concurrency: 1,
        leaseMs: CODE_MAIL_LEASE_MS,
        stopMs: 5000,
        backoff: { baseMs: 1000, maxMs: 60_000 },
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  private async send(job: Job<CodeMailBatch>, context: JobContext<CodeMailBatch>): Promise<void> {
    const { total, approved_at } = job.row;
    const approvedAt = new Date(approved_at);
    for (let sent = job.row.sent; sent < total;) {
      const count = Math.min(CODE_MAIL_CHUNK, total - sent);
      const mails = (await this.batches.sites(job.id, sent, count))
        .map((site) => {
          const mail = siteCodeMail(
            site,
            { siteCode: site.siteCode, checkCode: this.siteCodes.open(site.id, site.checkCodeEnc) },
            'approved',
            `site-code:${site.id}`,
            approvedAt,
          );
          const to = mail.to.filter((address) => isEmail(address));
          // notification would refuse the whole message for one address it cannot take.
          if (to.length < mail.to.length)
            this.logger.warn({ msg: 'code mail: address left out, not an email address', recordId: site.id });
          return { ...mail, to };
        })
        .filter((mail) => mail.to.length > 0);
      for (const part of messages(mails)) await this.bus.request(NotificationSubjects.sendMails, { mails: part });
      sent += count;
      const done = sent;
      await context.whileHeld((manager) => this.batches.advance(manager, job.id, done));
    }
  }
}

/** The mails in messages of at most MAX_MAILS_PER_MESSAGE mails and about MAX_MESSAGE_BYTES. */
export function messages(mails: SendMailRequest[]): SendMailRequest[][] {
  const parts: SendMailRequest[][] = [];
  let part: SendMailRequest[] = [];
  let bytes = 0;
  for (const mail of mails) {
    const size = Buffer.byteLength(JSON.stringify(mail));
    if (part.length > 0 && (part.length === MAX_MAILS_PER_MESSAGE || bytes + size > MAX_MESSAGE_BYTES)) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(mail);
    bytes += size;
  }
  if (part.length) parts.push(part);
  return parts;
}
