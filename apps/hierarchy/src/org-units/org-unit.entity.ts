import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OrgUnitKind } from '@app/contracts';

/**
 * One organisational unit. `path` is the materialised path of codes from the root
 * (`bm0100.130000.130300`): "all units under Y" is one indexed prefix scan
 * (`path LIKE 'Y.path.%'`, text_pattern_ops), "is X under Y" a string comparison.
 */
@Entity({ name: 'org_unit' })
export class OrgUnit {
  @PrimaryColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'smallint' })
  level: number;

  @Column({ type: 'varchar', length: 16 })
  kind: OrgUnitKind;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @Column({ type: 'text' })
  path: string;

  @Column({ name: 'contact_name', type: 'varchar', length: 50, nullable: true })
  contactName: string | null;

  @Column({ name: 'contact_office_phone', type: 'varchar', length: 40, nullable: true })
  contactOfficePhone: string | null;

  @Column({ name: 'contact_mobile', type: 'varchar', length: 20, nullable: true })
  contactMobile: string | null;

  @Column({ name: 'contact_email', type: 'varchar', length: 100, nullable: true })
  contactEmail: string | null;

  @Column({ name: 'contact_department', type: 'varchar', length: 100, nullable: true })
  contactDepartment: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** True when `path` is `ancestorPath` itself or lies below it. */
export function isWithin(path: string, ancestorPath: string): boolean {
  return path === ancestorPath || path.startsWith(`${ancestorPath}.`);
}
