import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { NodeRequestStatus } from '@app/contracts';
import { EntityManager, Repository } from 'typeorm';
import { NodeRequest } from './node-request.entity';

export type NewNodeRequest = Pick<NodeRequest, 'name' | 'code' | 'reason' | 'status' | 'parentId' | 'requestedBy'>;

/** Every query on node_request. Methods taking a manager run inside the caller's transaction. */
@Injectable()
export class NodeRequestRepository {
  constructor(@InjectRepository(NodeRequest) private readonly requests: Repository<NodeRequest>) {}

  /** Newest first; `parentId` narrows to one requesting unit, `status` to one status. */
  async page(
    filter: { parentId?: string; status?: NodeRequestStatus },
    offset: number,
    limit: number,
  ): Promise<{ rows: NodeRequest[]; total: number }> {
    const query = this.requests.createQueryBuilder('r').orderBy('r.created_at', 'DESC').skip(offset).take(limit);
    if (filter.parentId) query.andWhere('r.parent_id = :parentId', { parentId: filter.parentId });
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    const [rows, total] = await query.getManyAndCount();
    return { rows, total };
  }

  /** A pending code is unique (partial unique index): a second request fails with 23505. */
  insert(manager: EntityManager, request: NewNodeRequest): Promise<NodeRequest> {
    return manager.save(manager.create(NodeRequest, request));
  }

  /** The request, locked for update until the transaction ends. */
  findForUpdate(manager: EntityManager, id: string): Promise<NodeRequest | null> {
    return manager.findOne(NodeRequest, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  save(manager: EntityManager, request: NodeRequest): Promise<NodeRequest> {
    return manager.save(request);
  }
}
