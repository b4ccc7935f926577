import { Injectable, Logger } from '@nestjs/common';
import {
  historySentence,
  HierarchySubjects,
  RecordDetail,
  RecordHistoryEntry,
  RecordListItem,
  RecordPage,
  recordStatusText,
} from '@app/contracts';
import { BusClient } from '@app/platform/core';

/** How long a unit's name is kept here (names change rarely: a renamed unit shows within this). */
const NAME_TTL_MS = 5 * 60_000;
const MAX_CACHED = 10_000;

/**
 * What a clerk reads beside the ids: the holding unit's name and where the record is
 * ("待 秦皇岛市 审核"), the acting units in 流转历史 and its sentence, the latest return reason.
 * Names come from hierarchy, one lookup per answer for those not cached; when hierarchy is
 * away the answer still comes, with the status words alone.
 */
@Injectable()
export class RecordNames {
  private readonly logger = new Logger('RecordNames');
  private readonly cache = new Map<string, { name: string; until: number }>();

  constructor(private readonly bus: BusClient) {}

  /** The page with each item's holder name and status words, added to the page as it came off the bus. */
  async page(page: RecordPage) {
    const names = await this.names(page.items.map((item) => item.holderOrgUnitId));
    // The page is this request's own (decoded from the bus reply): completed in place rather
    // than copied item by item, the list's hottest path.
    const items = page.items as Array<RecordListItem & { holderName: string | null; statusText: string }>;
    for (const item of items) {
      item.holderName = names.get(item.holderOrgUnitId) ?? null;
      item.statusText = recordStatusText(item.status, item.holderName);
    }
    return page as RecordPage & { items: typeof items };
  }

  /**
   * The detail, with its holder's name, the name of the unit that filed a pending request and,
   * while it is 已退回, the latest return (who, when, why).
   */
  async detail(detail: RecordDetail, history: () => Promise<RecordHistoryEntry[]>) {
    const returned =
      detail.status === 'RETURNED' ? [...(await history())].reverse().find((e) => e.action === 'return') : undefined;
    const pending = detail.pendingRequest;
    const names = await this.names([
      detail.holderOrgUnitId,
      returned?.actorOrgUnitId ?? null,
      pending ? detail.ownerOrgUnitId : null,
    ]);
    const holderName = names.get(detail.holderOrgUnitId) ?? null;
    return {
      ...detail,
      // Only the owner files a request (review refuses anyone else with NOT_RECORD_OWNER, and an
      // import updates only the importer's own records): the requesting unit is the owner.
      pendingRequest: pending ? { ...pending, requestedByName: names.get(detail.ownerOrgUnitId) ?? null } : null,
      holderName,
      statusText: recordStatusText(detail.status, holderName),
      lastReturn: returned
        ? {
            at: returned.at,
            reason: returned.reason ?? '',
            byOrgUnitName: (returned.actorOrgUnitId && names.get(returned.actorOrgUnitId)) ?? null,
          }
        : null,
    };
  }

  async history(entries: RecordHistoryEntry[]) {
    const names = await this.names(
      entries.flatMap((e) => [e.actorOrgUnitId, e.fromHolderOrgUnitId, e.toHolderOrgUnitId]),
    );
    const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
    return entries.map((entry) => {
      const actorOrgUnitName = nameOf(entry.actorOrgUnitId);
      const toHolderName = nameOf(entry.toHolderOrgUnitId);
      return {
        ...entry,
        actorOrgUnitName,
        fromHolderName: nameOf(entry.fromHolderOrgUnitId),
        toHolderName,
        description: historySentence({
          action: entry.action,
          toStatus: entry.toStatus,
          actorUnitName: actorOrgUnitName,
          actorUsername: entry.actorUsername,
          toHolderName,
        }),
      };
    });
  }

  /** Names by unit id: cached ones, the rest in one lookup. */
  async names(ids: Array<string | null | undefined>): Promise<Map<string, string>> {
    const now = Date.now();
    const names = new Map<string, string>();
    const missing = new Set<string>();
    for (const id of ids) {
      if (!id) continue;
      const cached = this.cache.get(id);
      if (cached && cached.until > now) names.set(id, cached.name);
      else missing.add(id);
    }
    if (missing.size === 0) return names;
    try {
      for (const unit of await this.bus.request(HierarchySubjects.lookup, { ids: [...missing] })) {
        names.set(unit.id, unit.name);
        if (this.cache.size >= MAX_CACHED) this.cache.clear();
        this.cache.set(unit.id, { name: unit.name, until: now + NAME_TTL_MS });
      }
    } catch (err) {
      this.logger.warn({ msg: 'unit names unavailable for records', error: (err as Error).message });
    }
    return names;
  }
}
