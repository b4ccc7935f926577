import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkQueue } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

/** What the sender needs of a mail waiting to go out. */
export interface PendingMail {
  key: string;
  recipients: string[];
  subject: string;
  body: string;
  body_sealed: boolean;
}

/** The `mail` table: stored mail, and the work queue the sender takes it from. */
@Injectable()
export class MailRepository {
  readonly queue: WorkQueue<PendingMail>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.queue = new WorkQueue<PendingMail>(dataSource, {
      table: 'mail',
      key: 'id',
      columns: ['key', 'recipients', 'subject', 'body', 'body_sealed'],
      pending: `status = 'PENDING'`,
      order: 'next_attempt_at',
      since: 'created_at',
      leased: false,
    });
  }

  /** Stores a mail (once per key: the same key again changes nothing) and wakes the senders. */
  enqueue(mail: { key: string; to: string[]; subject: string; sealedBody: string }): Promise<{ id: string }> {
    return this.dataSource.transaction(async (manager) => {
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO mail (key, recipients, subject, body, body_sealed) VALUES ($1, $2, $3, $4, true)
         ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
        [mail.key, mail.to, mail.subject, mail.sealedBody],
      );
      await this.queue.wake(manager);
      return { id: row.id };
    });
  }

  /** The server accepted it: the body (it may carry a secret) is not kept. */
  async markSent(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE mail SET status = 'SENT', sent_at = now(), body = '' WHERE id = $1`, [id]);
  }
}
