import { DynamicModule, Module } from '@nestjs/common';
import { StorageModule } from '@app/storage';
import { CreateOutbox1764190000000, DatabaseModule, OutboxModule, PlatformModule, ServiceRuntime } from '@app/platform';
import { AssessmentConfig } from './assessment.settings';
import { CreateAssessment1765460000000 } from './migrations/1765460000000-CreateAssessment';
import { InspectionController } from './inspection/inspection.controller';
import { InspectionRepository } from './inspection/inspection.repository';
import { InspectionService } from './inspection/inspection.service';
import { VerdictsAndMonitoring1765470000000 } from './migrations/1765470000000-VerdictsAndMonitoring';
import { Inspections1765490000001 } from './migrations/1765490000001-Inspections';
import { Evidence1765500000000 } from './migrations/1765500000000-Evidence';
import { EvidenceController } from './evidence/evidence.controller';
import { EvidenceFiles, EvidenceRepository } from './evidence/evidence.repository';
import { EvidenceService } from './evidence/evidence.service';
import { MonitoringQueue1765480000001 } from './migrations/1765480000001-MonitoringQueue';
import { MonitorRuntime } from './monitoring/monitor-runtime';
import { MonitoringController } from './monitoring/monitoring.controller';
import { MonitoringService } from './monitoring/monitoring.service';
import { SelfAssessmentController } from './self-assessment/self-assessment.controller';
import { SelfAssessmentRepository } from './self-assessment/self-assessment.repository';
import { SelfAssessmentService } from './self-assessment/self-assessment.service';
import { ScoreSheets } from './sheet/sheets';
import { AssessmentStatsController } from './stats/assessment-stats.controller';
import { AssessmentStatsService } from './stats/assessment-stats.service';
import { VerdictRepository } from './verdict/verdict.repository';

export const ASSESSMENT_MIGRATIONS = [
  CreateOutbox1764190000000,
  CreateAssessment1765460000000,
  VerdictsAndMonitoring1765470000000,
  MonitoringQueue1765480000001,
  Inspections1765490000001,
  Evidence1765500000000,
];

/** 普查评分: score sheets (versioned data), 自查评分 and its verdicts, monitoring (监测) of running sites. */
@Module({})
export class AssessmentModule {
  static register(runtime: ServiceRuntime<AssessmentConfig>): DynamicModule {
    return {
      module: AssessmentModule,
      imports: [
        PlatformModule.forApp({ service: 'assessment', ...runtime }),
        DatabaseModule.forService({
          service: 'assessment',
          schema: 'assessment',
          config: runtime.config,
          entities: [],
          migrations: ASSESSMENT_MIGRATIONS,
        }),
        OutboxModule.register(),
        // Evidence files: written by the gateway; assessment only removes deleted and abandoned ones.
        StorageModule.forService(runtime.config, ['evidence'], { occasional: true }),
      ],
      controllers: [
        SelfAssessmentController,
        InspectionController,
        AssessmentStatsController,
        MonitoringController,
        EvidenceController,
      ],
      providers: [
        ScoreSheets,
        SelfAssessmentRepository,
        SelfAssessmentService,
        VerdictRepository,
        InspectionRepository,
        InspectionService,
        AssessmentStatsService,
        MonitorRuntime,
        MonitoringService,
        EvidenceRepository,
        EvidenceFiles,
        EvidenceService,
      ],
    };
  }
}
