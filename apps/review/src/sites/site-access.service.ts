import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ListedSite, SiteInfo, SiteLifecycle, SiteListRequest } from '@app/contracts';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SiteCodes } from '../workflow/site-codes';

interface SiteRow extends SiteInfo {
  checkCodeEnc: string | null;
}

/** A 校验码 nobody has (it is compared when the 标识码 is unknown, so both take the same work). */
const NO_CODE = Buffer.from('------');

/**
 * The coded (approved) sites as other services ask for them: identity's site login checks a
 * 校验码 here, where it is kept sealed, and never receives it; assessment learns a site's owner
 * chain to decide who may see its 自查评分.
 */
@Injectable()
export class SiteAccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly siteCodes: SiteCodes,
  ) {}

  async lookup(siteCode: string): Promise<{ site: SiteInfo | null }> {
    const row = await this.find(siteCode);
    if (!row) return { site: null };
    const { checkCodeEnc: _sealed, ...site } = row;
    return { site };
  }

  /**
   * The site when the 校验码 is its own, else null: unsealed here and compared in constant
   * time; typed letters count in either case (the codes are upper case).
   */
  async verifyCheckCode(siteCode: string, checkCode: string): Promise<{ site: SiteInfo | null }> {
    const row = await this.find(siteCode);
    const typed = Buffer.from(checkCode.toUpperCase());
    const stored = row?.checkCodeEnc ? Buffer.from(this.siteCodes.open(row.recordId, row.checkCodeEnc)) : NO_CODE;
    const same = typed.length === stored.length && timingSafeEqual(typed, stored);
    if (!row || !row.checkCodeEnc || !same) return { site: null };
    const { checkCodeEnc: _sealed, ...site } = row;
    return { site };
  }

  /** By 标识码 as typed: `bm…` codes are stored in lower case, `11BM…` in upper case. */
  private async find(siteCode: string): Promise<SiteRow | null> {
    const rows: Array<{
      id: string;
      site_code: string;
      site_name: string;
      owner_org_unit_id: string;
      owner_chain: string;
      lifecycle: SiteLifecycle;
      check_code_enc: string | null;
    }> = await this.dataSource.query(
      `SELECT id, site_code, site_name, owner_org_unit_id, array_to_string(owner_chain, ',') AS owner_chain, lifecycle, check_code_enc
         FROM record WHERE site_code IN ($1::text, lower($1::text), upper($1::text)) LIMIT 1`,
      [siteCode],
    );
    const [row] = rows;
    if (!row) return null;
    return {
      recordId: row.id,
      siteCode: row.site_code,
      siteName: row.site_name,
      ownerOrgUnitId: row.owner_org_unit_id,
      ownerChain: row.owner_chain.split(','),
      lifecycle: row.lifecycle,
      checkCodeEnc: row.check_code_enc,
    };
  }

  /**
   * The coded sites in 标识码 order after `after`, a page at a time; each with the 栏目 of its
   * current (approved) version. A pending change request is not current and is not listed.
   */
  async list(request: SiteListRequest): Promise<{ sites: ListedSite[]; next: string | null }> {
    const rows: Array<{
      id: string;
      site_code: string;
      site_name: string;
      owner_org_unit_id: string;
      owner_chain: string;
      lifecycle: SiteLifecycle;
      homepage_url: string;
      region_code: string;
      region_name: string;
      columns: Array<{ name?: string; url?: string; category?: string }> | null;
    }> = await this.dataSource.query(
      `SELECT r.id, r.site_code, r.site_name, r.owner_org_unit_id, array_to_string(r.owner_chain, ',') AS owner_chain,
              r.lifecycle, r.homepage_url, r.region_code, r.region_name, v.content->'columns' AS columns
         FROM record r
         JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
        WHERE r.site_code IS NOT NULL
          AND ($1::text IS NULL OR r.site_code > $1::text)
          AND ($2::uuid IS NULL OR r.owner_chain @> ARRAY[$2::uuid])
          AND (NOT $3::boolean OR r.lifecycle = 'ACTIVE')
        ORDER BY r.site_code
        LIMIT $4`,
      [request.after ?? null, request.withinOrgUnitId ?? null, request.activeOnly === true, request.limit],
    );
    const sites = rows.map((row) => ({
      recordId: row.id,
      siteCode: row.site_code,
      siteName: row.site_name,
      ownerOrgUnitId: row.owner_org_unit_id,
      ownerChain: row.owner_chain.split(','),
      lifecycle: row.lifecycle,
      homepageUrl: row.homepage_url,
      regionCode: row.region_code,
      regionName: row.region_name,
      columns: (Array.isArray(row.columns) ? row.columns : []).map((column) => ({
        name: String(column.name ?? ''),
        url: String(column.url ?? ''),
        category: String(column.category ?? ''),
      })),
    }));
    return { sites, next: rows.length === request.limit ? rows[rows.length - 1].site_code : null };
  }
}
