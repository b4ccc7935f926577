import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { currentCorrelationId, WorkQueue } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';
import { SitePeople } from '../records/record.repository';

/** What the code-mail sender needs of a batch waiting to be mailed. */
export interface CodeMailBatch {
  /** How many of the batch's records notification has stored the mails of. */
  sent: number;
  total: number;
  /** The approval's time: the mails' 审核通过日期. */
  approved_at: Date;
  correlation_id: string | null;
}

/** A coded site as its mail needs it: people of the current version, 标识码, sealed 校验码. */
export type CodedSite = SitePeople & { siteCode: string; checkCodeEnc: string };

/**
 * The `code_mail_batch` table: the code mails an approval owes, by reference (one row naming
 * the records, written in the approving transaction), and the leased work queue the
 * code-mail sender takes them from (CodeMailSender).
 */
@Injectable()
export class CodeMailRepository {
  readonly queue: WorkQueue<CodeMailBatch>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.queue = new WorkQueue<CodeMailBatch>(dataSource, {
      table: 'code_mail_batch',
      key: 'id',
      columns: ['sent', 'total', 'approved_at', 'correlation_id'],
      pending: 'done_at IS NULL',
      order: 'id',
      since: 'created_at',
      leased: true,
    });
  }

  /**
   * In the approving transaction: one row naming the records whose new 标识码 and 校验码 are to
   * be mailed (ids never hold a comma: one string, not an array literal), and the wake-up.
   */
  async enqueue(manager: EntityManager, recordIds: string[]): Promise<void> {
    if (recordIds.length === 0) return;
    await manager.query(
      `INSERT INTO code_mail_batch (record_ids, total, correlation_id) VALUES (string_to_array($1, ',')::uuid[], $2, $3)`,
      [recordIds.join(','), recordIds.length, currentCorrelationId() ?? null],
    );
    await this.queue.wake(manager);
  }

  /**
   * The sites of the batch's records `from` to `from + count - 1` (0-based), in the batch's
   * order: the people of each record's current version, its 标识码 and sealed 校验码. A record
   * without a code (none should be) is left out.
   */
  async sites(batchId: string, from: number, count: number): Promise<CodedSite[]> {
    const rows: Array<Record<string, string | null>> = await this.dataSource.query(
      `SELECT r.id, r.site_name, r.homepage_url, r.site_code, r.check_code_enc,
              v.content #>> '{principal,name}' AS principal_name, v.content #>> '{principal,email}' AS principal_email,
              v.content #>> '{contact,name}' AS contact_name, v.content #>> '{contact,email}' AS contact_email
         FROM code_mail_batch b
        CROSS JOIN LATERAL unnest(b.record_ids[$2 + 1 : $2 + $3]) WITH ORDINALITY AS x(id, n)
         JOIN record r ON r.id = x.id
         JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
        WHERE b.id = $1 AND r.site_code IS NOT NULL AND r.check_code_enc IS NOT NULL
        ORDER BY x.n`,
      [batchId, from, count],
    );
    return rows.map((row) => ({
      id: row.id as string,
      siteName: row.site_name ?? '',
      homepageUrl: row.homepage_url ?? '',
      siteCode: row.site_code as string,
      checkCodeEnc: row.check_code_enc as string,
      principalName: row.principal_name ?? '',
      principalEmail: row.principal_email ?? '',
      contactName: row.contact_name ?? '',
      contactEmail: row.contact_email ?? '',
    }));
  }

  /** Notification has stored the mails of the batch's first `sent` records (written by the job's holder). */
  async advance(manager: EntityManager, batchId: string, sent: number): Promise<void> {
    await manager.query(`UPDATE code_mail_batch SET sent = $2 WHERE id = $1`, [batchId, sent]);
  }

  /** Every mail of the batch is with notification. */
  async markDone(manager: EntityManager, batchId: string): Promise<void> {
    await manager.query(`UPDATE code_mail_batch SET sent = total, done_at = now() WHERE id = $1`, [batchId]);
  }
}
