import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AssessmentResult, SelfAssessmentAnswers, SiteInfo } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';

export interface SelfAssessmentRow {
  siteCode: string;
  status: 'DRAFT' | 'SUBMITTED';
  sheetId: string;
  sheetVersion: string;
  answers: SelfAssessmentAnswers;
  result: AssessmentResult | null;
  submittedAt: Date | null;
  updatedAt: Date;
}

const COLUMNS = `site_code AS "siteCode", status, sheet_id AS "sheetId", sheet_version AS "sheetVersion", answers, result,
  submitted_at AS "submittedAt", updated_at AS "updatedAt"`;

/** assessment.self_assessment: one row per site, written only under its row lock. */
@Injectable()
export class SelfAssessmentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async find(siteCode: string): Promise<SelfAssessmentRow | null> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM self_assessment WHERE site_code = $1`, [
      siteCode,
    ]);
    return (row as SelfAssessmentRow | undefined) ?? null;
  }

  /** The site's row, created empty on the current sheet if missing, locked until the transaction ends. */
  async lock(
    manager: EntityManager,
    site: SiteInfo,
    sheet: { id: string; version: string },
  ): Promise<SelfAssessmentRow> {
    await manager.query(
      `INSERT INTO self_assessment (site_code, record_id, owner_org_unit_id, owner_chain, site_name, sheet_id, sheet_version)
       VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7) ON CONFLICT (site_code) DO NOTHING`,
      [site.siteCode, site.recordId, site.ownerOrgUnitId, site.ownerChain, site.siteName, sheet.id, sheet.version],
    );
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM self_assessment WHERE site_code = $1 FOR UPDATE`, [
      site.siteCode,
    ]);
    return row as SelfAssessmentRow;
  }

  /** Writes the row's state; the owner's name and chain are refreshed from the site as review knows it now. */
  async write(
    manager: EntityManager,
    site: SiteInfo,
    state: Pick<SelfAssessmentRow, 'status' | 'sheetId' | 'sheetVersion' | 'answers' | 'result'> & {
      submitted: boolean;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE self_assessment SET status = $2, sheet_id = $3, sheet_version = $4, answers = $5::jsonb, result = $6::jsonb,
              submitted_at = CASE WHEN $7 THEN now() ELSE NULL END, owner_org_unit_id = $8, owner_chain = $9::uuid[],
              site_name = $10, updated_at = now()
        WHERE site_code = $1`,
      [
        site.siteCode,
        state.status,
        state.sheetId,
        state.sheetVersion,
        JSON.stringify(state.answers),
        state.result === null ? null : JSON.stringify(state.result),
        state.submitted,
        site.ownerOrgUnitId,
        site.ownerChain,
        site.siteName,
      ],
    );
  }
}
