import { Injectable } from '@nestjs/common';
import { Actor, CommonErrorCodes, CreateNoticeRequest, NoticeView, Page } from '@app/contracts';
import { DomainError } from '@app/platform';
import { NoticeRepository, NoticeRow } from './notice.repository';

/** In-app notices per unit (站内消息), with an unread count. */
@Injectable()
export class NoticesService {
  constructor(private readonly notices: NoticeRepository) {}

  /** Idempotent per key: a notice delivered twice appears once. */
  create(request: CreateNoticeRequest): Promise<{ id: string }> {
    return this.notices.insertOnce(request);
  }

  async list(
    actor: Actor,
    unreadOnly: boolean,
    page: number,
    pageSize: number,
  ): Promise<Page<NoticeView> & { unread: number }> {
    if (!actor.orgUnitId) return { items: [], total: 0, unread: 0 };
    const { rows, total, unread } = await this.notices.pageForUnit(
      actor.orgUnitId,
      unreadOnly,
      (page - 1) * pageSize,
      pageSize,
    );
    return { items: rows.map(toView), total, unread };
  }

  async markRead(actor: Actor, id: string): Promise<NoticeView> {
    const row = await this.notices.markRead(actor.orgUnitId, id);
    if (!row) throw new DomainError(CommonErrorCodes.NOT_FOUND, '消息不存在');
    return toView(row);
  }
}

/** A notice about a record is keyed `record:<id>:…` by review: the record it links to. */
const RECORD_KEY = /^record:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):/;

function toView(row: NoticeRow): NoticeView {
  return {
    id: row.id,
    kind: row.kind,
    recordId: RECORD_KEY.exec(row.key)?.[1] ?? null,
    title: row.title,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}
