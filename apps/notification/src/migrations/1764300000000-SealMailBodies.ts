import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mail bodies can carry a secret (the 校验码): from now on they are stored sealed
 * (`body_sealed`) and emptied once sent. Bodies of mail already sent are emptied here.
 */
export class SealMailBodies1764300000000 implements MigrationInterface {
  name = 'SealMailBodies1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE mail ADD COLUMN body_sealed boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`UPDATE mail SET body = '' WHERE status = 'SENT'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE mail DROP COLUMN body_sealed`);
  }
}
