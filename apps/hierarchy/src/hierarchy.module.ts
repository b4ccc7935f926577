import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  CreateOutbox1764190000000,
  DatabaseModule,
  OutboxModule,
  PlatformModule,
  ServiceRuntime,
  STARTUP_PROBE,
} from '@app/platform';
import { CreateOrgUnits1764200000000 } from './migrations/1764200000000-CreateOrgUnits';
import { NodeRequest } from './node-requests/node-request.entity';
import { NodeRequestRepository } from './node-requests/node-request.repository';
import { NodeRequestsController } from './node-requests/node-requests.controller';
import { NodeRequestsService } from './node-requests/node-requests.service';
import { OrgUnit } from './org-units/org-unit.entity';
import { OrgUnitRepository } from './org-units/org-unit.repository';
import { OrgUnitsController } from './org-units/org-units.controller';
import { OrgUnitsService } from './org-units/org-units.service';
import { SeedTreeService } from './seed/seed-tree.service';
import { SeedProgress } from './seed/seed-progress';
import { HierarchyConfig } from './hierarchy.settings';

export const HIERARCHY_MIGRATIONS = [CreateOutbox1764190000000, CreateOrgUnits1764200000000];

/** Org units (the tree, codes, levels, contact info) and node requests (新增节点申请). */
@Module({})
export class HierarchyModule {
  static register(runtime: ServiceRuntime<HierarchyConfig>): DynamicModule {
    return {
      module: HierarchyModule,
      imports: [
        PlatformModule.forApp({ service: 'hierarchy', ...runtime }),
        DatabaseModule.forService({
          service: 'hierarchy',
          schema: 'hierarchy',
          config: runtime.config,
          entities: [OrgUnit, NodeRequest],
          migrations: HIERARCHY_MIGRATIONS,
        }),
        TypeOrmModule.forFeature([OrgUnit, NodeRequest]),
        OutboxModule.register(),
      ],
      controllers: [OrgUnitsController, NodeRequestsController],
      providers: [
        OrgUnitRepository,
        NodeRequestRepository,
        OrgUnitsService,
        NodeRequestsService,
        SeedTreeService,
        { provide: STARTUP_PROBE, useClass: SeedProgress },
      ],
    };
  }
}
