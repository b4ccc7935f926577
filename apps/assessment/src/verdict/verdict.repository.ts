import { Injectable } from '@nestjs/common';
import { AssessmentResult, SiteInfo } from '@app/contracts';
import { EntityManager } from 'typeorm';

/** The site as the verdict copies it: who owns it and who is above (for the statistics). */
type VerdictSite = Pick<SiteInfo, 'siteCode' | 'recordId' | 'ownerOrgUnitId' | 'ownerChain' | 'siteName'>;

/**
 * assessment.verdict: the one official verdict of each site. A submitted 自查评分 gives it
 * (source SELF) unless an inspection has scored the site; a submitted inspection result
 * (source INSPECTION) always replaces it. Written in the transaction of the change behind it.
 */
@Injectable()
export class VerdictRepository {
  /** The self-assessment's verdict, unless an inspection's verdict stands (which it never overrides). */
  async putSelf(manager: EntityManager, site: VerdictSite, result: AssessmentResult): Promise<void> {
    await manager.query(
      `${INSERT} VALUES ($1, $2, $3, $4::uuid[], $5, 'SELF', NULL, $6, $7, $8::text[], $9::jsonb, $10, $11, now())
       ON CONFLICT (site_code) DO UPDATE SET ${UPDATE_ALL} WHERE verdict.source = 'SELF'`,
      values(site, result),
    );
  }

  /** The self-assessment was sent back: its verdict goes (an inspection's verdict stays). */
  async removeSelf(manager: EntityManager, siteCode: string): Promise<void> {
    await manager.query(`DELETE FROM verdict WHERE site_code = $1 AND source = 'SELF'`, [siteCode]);
  }

  /** An inspection's verdict: it overrides whatever the site had. */
  async putInspection(
    manager: EntityManager,
    site: VerdictSite,
    inspectionId: string,
    result: AssessmentResult,
  ): Promise<void> {
    await manager.query(
      `${INSERT} VALUES ($1, $2, $3, $4::uuid[], $5, 'INSPECTION', $12, $6, $7, $8::text[], $9::jsonb, $10, $11, now())
       ON CONFLICT (site_code) DO UPDATE SET ${UPDATE_ALL}`,
      [...values(site, result), inspectionId],
    );
  }

  /**
   * An inspection's result for the site was sent back: if it was the official verdict, the one
   * before it stands again — the latest other inspection that scored the site, else the
   * submitted self-assessment, else none.
   */
  async removeInspection(manager: EntityManager, siteCode: string, inspectionId: string): Promise<void> {
    const removed = await manager.query(
      `DELETE FROM verdict WHERE site_code = $1 AND source = 'INSPECTION' AND inspection_id = $2 RETURNING site_code`,
      [siteCode, inspectionId],
    );
    if ((removed as unknown[]).length === 0) return;
    await manager.query(
      `${INSERT}
       SELECT s.site_code, s.record_id, s.owner_org_unit_id, s.owner_chain, s.site_name, 'INSPECTION', s.inspection_id,
              s.result->>'verdict', (s.result->>'score')::numeric, ARRAY(SELECT jsonb_array_elements(s.result->'vetoes')->>'key'),
              s.result, s.sheet_id, s.sheet_version, s.submitted_at
         FROM inspection_site s
        WHERE s.site_code = $1 AND s.status = 'SUBMITTED' AND s.inspection_id <> $2
        ORDER BY s.submitted_at DESC LIMIT 1
       ON CONFLICT (site_code) DO NOTHING`,
      [siteCode, inspectionId],
    );
    await manager.query(
      `${INSERT}
       SELECT a.site_code, a.record_id, a.owner_org_unit_id, a.owner_chain, a.site_name, 'SELF', NULL,
              a.result->>'verdict', (a.result->>'score')::numeric, ARRAY(SELECT jsonb_array_elements(a.result->'vetoes')->>'key'),
              a.result, a.sheet_id, a.sheet_version, a.submitted_at
         FROM self_assessment a
        WHERE a.site_code = $1 AND a.status = 'SUBMITTED'
       ON CONFLICT (site_code) DO NOTHING`,
      [siteCode],
    );
  }
}

const INSERT = `INSERT INTO verdict (site_code, record_id, owner_org_unit_id, owner_chain, site_name, source, inspection_id,
  verdict, score, vetoes, result, sheet_id, sheet_version, decided_at)`;

const UPDATE_ALL = `record_id = EXCLUDED.record_id, owner_org_unit_id = EXCLUDED.owner_org_unit_id,
  owner_chain = EXCLUDED.owner_chain, site_name = EXCLUDED.site_name, source = EXCLUDED.source,
  inspection_id = EXCLUDED.inspection_id, verdict = EXCLUDED.verdict, score = EXCLUDED.score, vetoes = EXCLUDED.vetoes,
  result = EXCLUDED.result, sheet_id = EXCLUDED.sheet_id, sheet_version = EXCLUDED.sheet_version, decided_at = now()`;

function values(site: VerdictSite, result: AssessmentResult): unknown[] {
  return [
    site.siteCode,
    site.recordId,
    site.ownerOrgUnitId,
    site.ownerChain,
    site.siteName,
    result.verdict,
    result.score,
    result.vetoes.map((veto) => veto.key),
    JSON.stringify(result),
    result.sheetId,
    result.sheetVersion,
  ];
}
