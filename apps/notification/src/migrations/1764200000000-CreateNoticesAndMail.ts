import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNoticesAndMail1764200000000 implements MigrationInterface {
  name = 'CreateNoticesAndMail1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key varchar(200) NOT NULL UNIQUE,
        org_unit_id uuid NOT NULL,
        kind varchar(50) NOT NULL,
        title varchar(200) NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz NULL
      )`);
    await queryRunner.query(`CREATE INDEX notice_unit_idx ON notice (org_unit_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX notice_unread_idx ON notice (org_unit_id) WHERE read_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE mail (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key varchar(200) NOT NULL UNIQUE,
        recipients text[] NOT NULL,
        subject varchar(200) NOT NULL,
        body text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL
      )`);
    await queryRunner.query(`CREATE INDEX mail_pending_idx ON mail (next_attempt_at) WHERE status = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE mail`);
    await queryRunner.query(`DROP TABLE notice`);
  }
}
