import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A file in 文件中心; its bytes are an object in storage. Only its owner unit sees it. */
@Entity({ name: 'file' })
export class StoredFile {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The owning unit; null for an auditor's export (owned by `ownerAccountId`). */
  @Column({ name: 'owner_org_unit_id', type: 'uuid', nullable: true })
  ownerOrgUnitId: string | null;

  @Column({ name: 'owner_account_id', type: 'uuid', nullable: true })
  ownerAccountId: string | null;

  @Column({ type: 'varchar', length: 50 })
  folder: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  bucket: string;

  @Column({ name: 'object_key', type: 'varchar', length: 300 })
  objectKey: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size: number;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
