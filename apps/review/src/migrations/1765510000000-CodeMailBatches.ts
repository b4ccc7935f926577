import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Code mails by reference: an approval that gives records their first 标识码 queues ONE row
 * naming them (`record_ids`, in the approving transaction), not a rendered mail per record in
 * the outbox. Review's code-mail sender (a leased work queue) reads the sites' people and
 * sealed 校验码, renders the mails and hands them to notification in chunks, moving `sent`
 * after each chunk notification has stored, so a sender that dies resumes where it stopped.
 */
export class CodeMailBatches1765510000000 implements MigrationInterface {
  name = 'CodeMailBatches1765510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE code_mail_batch (
        id bigserial PRIMARY KEY,
        -- The records whose first final approval this is, in the order their mails go out.
        record_ids uuid[] NOT NULL,
        total int NOT NULL CHECK (total = cardinality(record_ids)),
        -- How many of record_ids notification has stored the mails of (the next chunk starts there).
        sent int NOT NULL DEFAULT 0 CHECK (sent BETWEEN 0 AND total),
        -- The approval's time: the mails' 审核通过日期.
        approved_at timestamptz NOT NULL DEFAULT now(),
        correlation_id text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text NULL,
        lease_owner varchar(64) NULL,
        lease_until timestamptz NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX code_mail_batch_pending_idx ON code_mail_batch (next_attempt_at, id) WHERE done_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE code_mail_batch`);
  }
}
