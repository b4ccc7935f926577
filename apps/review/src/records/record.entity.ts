import { LifecycleState, RequestKind } from '@app/contracts';
import { RecordStatus } from '@app/workflow';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One website's form and its workflow state. `id` is the form's UUID. */
@Entity({ name: 'record' })
export class SiteRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'owner_org_unit_id', type: 'uuid' })
  ownerOrgUnitId: string;

  @Column({ name: 'owner_code', type: 'varchar', length: 16 })
  ownerCode: string;

  /** The owner's units from the root down (ids). */
  @Column({ name: 'owner_chain', type: 'uuid', array: true })
  ownerChain: string[];

  @Column({ name: 'holder_org_unit_id', type: 'uuid' })
  holderOrgUnitId: string;

  @Column({ name: 'final_reviewer_org_unit_id', type: 'uuid' })
  finalReviewerOrgUnitId: string;

  @Column({ type: 'varchar', length: 16 })
  status: RecordStatus;

  @Column({ name: 'site_name', type: 'varchar', length: 100 })
  siteName: string;

  @Column({ name: 'homepage_url', type: 'varchar', length: 500 })
  homepageUrl: string;

  @Column({ name: 'region_code', type: 'varchar', length: 16 })
  regionCode: string;

  @Column({ name: 'region_name', type: 'varchar', length: 200 })
  regionName: string;

  @Column({ name: 'current_version', type: 'int' })
  currentVersion: number;

  @Column({ name: 'site_code', type: 'varchar', length: 10, nullable: true })
  siteCode: string | null;

  /** 校验码, AES-256-GCM sealed; never returned by any list or detail. */
  @Column({ name: 'check_code_enc', type: 'text', nullable: true })
  checkCodeEnc: string | null;

  @Column({ name: 'coded_at', type: 'timestamptz', nullable: true })
  codedAt: Date | null;

  /** 运行中 / 已关停 / 已注销 (a data contract: statistics read this column). */
  @Column({ type: 'text', default: 'ACTIVE' })
  lifecycle: LifecycleState;

  @Column({ name: 'closed_reason', type: 'text', nullable: true })
  closedReason: string | null;

  @Column({ name: 'expected_reopen_date', type: 'date', nullable: true })
  expectedReopenDate: string | null;

  /** The request travelling the chain (its travel is the record's status and holder). */
  @Column({ name: 'request_kind', type: 'text', nullable: true })
  requestKind: RequestKind | null;

  /** 变更: the requested form. */
  @Column({ name: 'request_payload', type: 'jsonb', nullable: true })
  requestPayload: Record<string, unknown> | null;

  @Column({ name: 'request_payload_hash', type: 'text', nullable: true })
  requestPayloadHash: string | null;

  @Column({ name: 'request_reason', type: 'text', nullable: true })
  requestReason: string | null;

  @Column({ name: 'request_expected_reopen', type: 'date', nullable: true })
  requestExpectedReopen: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz', nullable: true })
  requestedAt: Date | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 64, nullable: true })
  requestedBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
