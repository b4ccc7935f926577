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

  /**
   * Stores several mails in one transaction (each once per key: a key seen before changes
   * nothing) and wakes the senders; answers how many were new. In key order, so two
   * deliveries of overlapping mails at once wait for each other instead of deadlocking.
   */
  enqueueMany(mails: Array<{ key: string; to: string[]; subject: string; sealedBody: string }>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: unknown[] = await manager.query(
        `INSERT INTO mail (key, recipients, subject, body, body_sealed)
         SELECT m.key, m.recipients, m.subject, m.body, true
           FROM jsonb_to_recordset($1::jsonb) AS m(key text, recipients text[], subject text, body text)
          ORDER BY m.key
         ON CONFLICT (key) DO NOTHING RETURNING id`,
        [
          JSON.stringify(
            mails.map((mail) => ({ key: mail.key, recipients: mail.to, subject: mail.subject, body: mail.sealedBody })),
          ),
        ],
      );
      if (rows.length) await this.queue.wake(manager);
      return rows.length;
    });
  }

  /** The server accepted it: the body (it may carry a secret) is not kept. */
  async markSent(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE mail SET status = 'SENT', sent_at = now(), body = '' WHERE id = $1`, [id]);
  }
}
