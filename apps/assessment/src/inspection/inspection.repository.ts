import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AssessmentResult,
  InspectionProgress,
  InspectionStatus,
  ListedSite,
  SampleMode,
  SelfAssessmentAnswers,
  SelfAssessmentStatus,
} from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';

export interface InspectionRow {
  id: string;
  name: string;
  orgUnitId: string;
  orgUnitName: string;
  inspectingUnitId: string;
  inspectingUnitName: string;
  unitChain: string[];
  sampleMode: SampleMode;
  sampleValue: string | null;
  seed: string;
  population: number;
  status: InspectionStatus;
  createdBy: string | null;
  createdAt: Date;
  closedAt: Date | null;
  progress: InspectionProgress;
}

export interface InspectionSiteRow {
  inspectionId: string;
  siteCode: string;
  recordId: string;
  ownerOrgUnitId: string;
  ownerChain: string[];
  siteName: string;
  status: SelfAssessmentStatus;
  sheetId: string | null;
  sheetVersion: string | null;
  answers: SelfAssessmentAnswers;
  result: AssessmentResult | null;
  submittedAt: Date | null;
  updatedAt: Date | null;
}

const PROGRESS = `(SELECT jsonb_build_object(
    'sampled', count(*),
    'notStarted', count(*) FILTER (WHERE s.status = 'NOT_STARTED'),
    'draft', count(*) FILTER (WHERE s.status = 'DRAFT'),
    'submitted', count(*) FILTER (WHERE s.status = 'SUBMITTED'),
    'pass', count(*) FILTER (WHERE s.status = 'SUBMITTED' AND s.result->>'verdict' = 'PASS'),
    'fail', count(*) FILTER (WHERE s.status = 'SUBMITTED' AND s.result->>'verdict' = 'FAIL'))
  FROM inspection_site s WHERE s.inspection_id = i.id) AS progress`;

const COLUMNS = `i.id, i.name, i.org_unit_id AS "orgUnitId", i.org_unit_name AS "orgUnitName",
  i.inspecting_unit_id AS "inspectingUnitId", i.inspecting_unit_name AS "inspectingUnitName",
  array_to_string(i.unit_chain, ',') AS "unitChain", i.sample_mode AS "sampleMode", i.sample_value::text AS "sampleValue",
  i.seed, i.population, i.status, i.created_by AS "createdBy", i.created_at AS "createdAt", i.closed_at AS "closedAt", ${PROGRESS}`;

const SITE_COLUMNS = `inspection_id AS "inspectionId", site_code AS "siteCode", record_id AS "recordId",
  owner_org_unit_id AS "ownerOrgUnitId", array_to_string(owner_chain, ',') AS "ownerChain", site_name AS "siteName",
  status, sheet_id AS "sheetId", sheet_version AS "sheetVersion", answers, result, submitted_at AS "submittedAt",
  updated_at AS "updatedAt"`;

type Raw<T> = Omit<T, 'unitChain' | 'ownerChain'> & { unitChain?: string; ownerChain?: string };

function inspectionOf(raw: Raw<InspectionRow>): InspectionRow {
  return { ...raw, unitChain: (raw.unitChain ?? '').split(',') } as InspectionRow;
}

function siteOf(raw: Raw<InspectionSiteRow>): InspectionSiteRow {
  return { ...raw, ownerChain: (raw.ownerChain ?? '').split(',') } as InspectionSiteRow;
}

/** assessment.inspection and assessment.inspection_site; sites are changed under their row lock. */
@Injectable()
export class InspectionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async create(
    manager: EntityManager,
    inspection: Omit<InspectionRow, 'status' | 'createdAt' | 'closedAt' | 'progress'>,
    sites: ListedSite[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO inspection (id, name, org_unit_id, org_unit_name, unit_chain, sample_mode, sample_value, seed, population,
                               created_by, inspecting_unit_id, inspecting_unit_name)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10, $11, $12)`,
      [
        inspection.id,
        inspection.name,
        inspection.orgUnitId,
        inspection.orgUnitName,
        inspection.unitChain,
        inspection.sampleMode,
        inspection.sampleValue,
        inspection.seed,
        inspection.population,
        inspection.createdBy,
        inspection.inspectingUnitId,
        inspection.inspectingUnitName,
      ],
    );
    // One statement for the whole sample, whatever its size.
    await manager.query(
      `INSERT INTO inspection_site (inspection_id, site_code, record_id, owner_org_unit_id, owner_chain, site_name)
       SELECT $1, s.site_code, s.record_id, s.owner_org_unit_id, string_to_array(s.owner_chain, ',')::uuid[], s.site_name
         FROM jsonb_to_recordset($2::jsonb) AS s(site_code text, record_id uuid, owner_org_unit_id uuid, owner_chain text, site_name text)`,
      [
        inspection.id,
        JSON.stringify(
          sites.map((site) => ({
            site_code: site.siteCode,
            record_id: site.recordId,
            owner_org_unit_id: site.ownerOrgUnitId,
            owner_chain: site.ownerChain.join(','),
            site_name: site.siteName,
          })),
        ),
      ],
    );
  }

  async find(id: string, manager: EntityManager | DataSource = this.dataSource): Promise<InspectionRow | null> {
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM inspection i WHERE i.id = $1`, [id]);
    return row ? inspectionOf(row as Raw<InspectionRow>) : null;
  }

  /** The inspection, locked until the transaction ends (closing waits for scoring and the other way round). */
  async lock(manager: EntityManager, id: string): Promise<InspectionRow | null> {
    await manager.query(`SELECT 1 FROM inspection WHERE id = $1 FOR UPDATE`, [id]);
    return this.find(id, manager);
  }

  /** Inspections made by the unit or a unit below it, newest first. */
  async list(unitId: string, page: number, pageSize: number): Promise<{ rows: InspectionRow[]; total: number }> {
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${COLUMNS} FROM inspection i WHERE i.unit_chain @> ARRAY[$1::uuid]
          ORDER BY i.created_at DESC, i.id LIMIT $2 OFFSET $3`,
        [unitId, pageSize, (page - 1) * pageSize],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM inspection WHERE unit_chain @> ARRAY[$1::uuid]`, [
        unitId,
      ]),
    ]);
    return { rows: (rows as Array<Raw<InspectionRow>>).map(inspectionOf), total: total as number };
  }

  async close(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE inspection SET status = 'CLOSED', closed_at = now() WHERE id = $1`, [id]);
  }

  async sites(id: string): Promise<InspectionSiteRow[]> {
    const rows = await this.dataSource.query(
      `SELECT ${SITE_COLUMNS} FROM inspection_site WHERE inspection_id = $1 ORDER BY site_code`,
      [id],
    );
    return (rows as Array<Raw<InspectionSiteRow>>).map(siteOf);
  }

  async site(
    id: string,
    siteCode: string,
    manager: EntityManager | DataSource = this.dataSource,
    lock = false,
  ): Promise<InspectionSiteRow | null> {
    const [row] = await manager.query(
      `SELECT ${SITE_COLUMNS} FROM inspection_site WHERE inspection_id = $1 AND site_code = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, siteCode],
    );
    return row ? siteOf(row as Raw<InspectionSiteRow>) : null;
  }

  async writeSite(
    manager: EntityManager,
    row: Pick<
      InspectionSiteRow,
      'inspectionId' | 'siteCode' | 'status' | 'sheetId' | 'sheetVersion' | 'answers' | 'result'
    >,
  ): Promise<void> {
    await manager.query(
      `UPDATE inspection_site SET status = $3::varchar, sheet_id = $4, sheet_version = $5, answers = $6::jsonb, result = $7::jsonb,
              submitted_at = CASE WHEN $3::varchar = 'SUBMITTED' THEN now() ELSE NULL END, updated_at = now()
        WHERE inspection_id = $1 AND site_code = $2`,
      [
        row.inspectionId,
        row.siteCode,
        row.status,
        row.sheetId,
        row.sheetVersion,
        JSON.stringify(row.answers),
        row.result === null ? null : JSON.stringify(row.result),
      ],
    );
  }
}
