import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { RECOVERY_CLIENT_WINDOW_MS, RECOVERY_LIMIT_PER_CLIENT } from '@app/contracts';
import { StorageModule } from '@app/storage';
import { EvidenceController } from './assessment/evidence.controller';
import { UploadSlots } from './imports/upload-stream';
import {
  ActorAssertionSigner,
  ConfigError,
  jwtSecretKey,
  keyList,
  PlatformModule,
  ServiceRuntime,
} from '@app/platform/core';
import { AdminController } from './admin/admin.controller';
import { AuthController } from './auth/auth.controller';
import { SiteAuthController } from './auth/site-auth.controller';
import { AssessmentStatsController } from './assessment/assessment-stats.controller';
import { InspectionsController } from './assessment/inspections.controller';
import { MonitoringController } from './assessment/monitoring.controller';
import { SelfAssessmentController } from './assessment/self-assessment.controller';
import { FilesController } from './files/files.controller';
import { FormsController } from './forms/forms.controller';
import { RecordNames } from './forms/record-names';
import { NodeRequestsController } from './node-requests/node-requests.controller';
import { NoticesController } from './notices/notices.controller';
import { OrgUnitsController } from './org-units/org-units.controller';
import { PublicController } from './public/public.controller';
import { SiteCodeRecoveryController } from './public/site-code-recovery.controller';
import { JwtAuthGuard, PREVIOUS_JWT_SECRETS } from './auth/jwt-auth.guard';
import { ActorAssertionContext } from './auth/actor-assertion-context';
import { TokenVersions } from './auth/token-versions';
import { HealthController } from './health/health.controller';
import { StartupReadiness } from './health/startup-readiness';
import { ImportsController } from './imports/imports.controller';
import { ExportsController } from './exports/exports.controller';
import { WebController } from './web/web.controller';
import { StatsController } from './stats/stats.controller';
import { GatewayConfig } from './gateway.settings';

/** The HTTP edge: REST under /api/v1, the console at /; everything else is a bus call. */
@Module({})
export class GatewayModule {
  static register(runtime: ServiceRuntime<GatewayConfig>): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forApp(runtime),
        JwtModule.register({ secret: jwtSecretKey(runtime.config.JWT_SECRET) }),
        // Uploads stream straight to object storage (packages bucket); intake reads them there.
        // A direct export is read from the files bucket, where review wrote it. Evidence files
        // (评分证据) stream into the evidence bucket; assessment keeps their references.
        StorageModule.forService(runtime.config, ['packages', 'files', 'evidence']),
        ThrottlerModule.forRoot([
          { name: 'default', limit: RECOVERY_LIMIT_PER_CLIENT, ttl: RECOVERY_CLIENT_WINDOW_MS },
        ]),
      ],
      controllers: [
        HealthController,
        AuthController,
        SiteAuthController,
        SelfAssessmentController,
        InspectionsController,
        AssessmentStatsController,
        MonitoringController,
        EvidenceController,
        ImportsController,
        OrgUnitsController,
        NodeRequestsController,
        FilesController,
        NoticesController,
        AdminController,
        FormsController,
        StatsController,
        ExportsController,
        PublicController,
        SiteCodeRecoveryController,
        WebController,
      ],
      providers: [
        TokenVersions,
        UploadSlots,
        RecordNames,
        StartupReadiness,
        {
          provide: PREVIOUS_JWT_SECRETS,
          useValue: keyList(runtime.config.JWT_PREVIOUS_SECRETS).map((secret) => Buffer.from(secret, 'utf8')),
        },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        // Signs the verified caller for the services (BUS_ACTOR_PRIVATE_KEY; never logged).
        {
          provide: ActorAssertionSigner,
          useFactory: () => {
            if (!runtime.config.BUS_ACTOR_PRIVATE_KEY)
              throw new ConfigError(['BUS_ACTOR_PRIVATE_KEY: 未设置（网关用它签发总线上的身份断言）']);
            return new ActorAssertionSigner(runtime.config.BUS_ACTOR_PRIVATE_KEY);
          },
        },
        ActorAssertionContext,
      ],
    };
  }
}
