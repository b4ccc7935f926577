import { ListedSite, SiteSubjects } from '@app/contracts';
import { BusClient } from '@app/platform';
import { MonitorRepository } from './monitor.repository';

/** Sites per page of `review.site.list` (its maximum). */
export const SYNC_PAGE = 5000;

/**
 * The registry of monitored sites, synced from review over the bus: every coded, running
 * (ACTIVE) site, page by page in 标识码 order. A site seen is written with its homepage and
 * 栏目 (its tasks follow); once every page has been read, the sites not seen this time
 * (closed, deregistered) are dropped from the registry and the schedule. A sync that fails
 * half-way drops nothing.
 */
export class MonitorRegistry {
  constructor(
    private readonly bus: BusClient,
    private readonly repository: MonitorRepository,
    private readonly perDay: number,
  ) {}

  async sync(now: number = Date.now()): Promise<{ sites: number; dropped: number }> {
    let after: string | undefined;
    let sites = 0;
    for (;;) {
      const page: { sites: ListedSite[]; next: string | null } = await this.bus.request(
        SiteSubjects.list,
        { activeOnly: true, limit: SYNC_PAGE, ...(after && { after }) },
        { timeoutMs: 60_000 },
      );
      // review.site.list answers only ACTIVE sites when asked; a non-running one is never kept.
      const running = page.sites.filter((site) => site.lifecycle === 'ACTIVE' && site.homepageUrl);
      await this.repository.upsertSites(running, now, this.perDay);
      sites += running.length;
      if (!page.next) break;
      after = page.next;
    }
    const dropped = await this.repository.dropUnsynced(now);
    return { sites, dropped };
  }
}
