import { StorageModule } from '@app/storage';
import { AuditExportService } from './audit/audit-export.service';
import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  CreateOutbox1764190000000,
  DatabaseModule,
  jwtSecretKey,
  OutboxModule,
  PlatformModule,
  ServiceRuntime,
  STARTUP_PROBE,
} from '@app/platform';
import { Account } from './accounts/account.entity';
import { AccountRepository } from './accounts/account.repository';
import { PASSWORD_HANDOVER, SystemAccountsBootstrap } from './accounts/system-accounts.bootstrap';
import { AccountsController } from './accounts/accounts.controller';
import { InitialPasswordVault } from './accounts/initial-password-vault';
import { SupportService } from './accounts/support.service';
import { UnitAccountsService } from './accounts/unit-accounts.service';
import { UnitAccountsProgress } from './accounts/unit-accounts-progress';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuditController } from './audit/audit.controller';
import { AuditRetention } from './audit/audit-retention';
import { AuditService } from './audit/audit.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { SiteLoginService } from './auth/site-login.service';
import { LoginGuard } from './auth/login-guard';
import { LoginThrottleRepository } from './auth/login-throttle.repository';
import { CreateAccounts1764180000000 } from './migrations/1764180000000-CreateAccounts';
import { AccountsForUnits1764200000000 } from './migrations/1764200000000-AccountsForUnits';
import { LoginThrottle1764500000000 } from './migrations/1764500000000-LoginThrottle';
import { AuditLogHashChain1764500000000 } from './migrations/1764500000000-AuditLogHashChain';
import { LoginInOneTrip1764600000000 } from './migrations/1764600000000-LoginInOneTrip';
import { TokenRevocation } from './auth/token-revocation';
import { AccountTokenVersion1764310000000 } from './migrations/1764310000000-AccountTokenVersion';
import { IdentityConfig } from './identity.settings';

export const IDENTITY_MIGRATIONS = [
  CreateAccounts1764180000000,
  CreateOutbox1764190000000,
  AccountsForUnits1764200000000,
  AccountTokenVersion1764310000000,
  LoginThrottle1764500000000,
  AuditLogHashChain1764500000000,
  LoginInOneTrip1764600000000,
];

/** Accounts, password hashes, roles and access tokens. */
@Module({})
export class IdentityModule {
  static register(runtime: ServiceRuntime<IdentityConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: IdentityModule,
      imports: [
        PlatformModule.forApp({ service: 'identity', ...runtime }),
        DatabaseModule.forService({
          service: 'identity',
          schema: 'identity',
          config,
          entities: [Account],
          migrations: IDENTITY_MIGRATIONS,
        }),
        TypeOrmModule.forFeature([Account]),
        OutboxModule.register(),
        // 后台导出 of the audit log is written into the files bucket.
        StorageModule.forService(config, ['files'], { occasional: true }),
        JwtModule.register({
          secret: jwtSecretKey(config.JWT_SECRET),
          signOptions: { algorithm: 'HS256', issuer: 'gsr-identity' },
        }),
      ],
      controllers: [AuthController, AccountsController, AuditController],
      providers: [
        AccountRepository,
        AuditLogRepository,
        AuditExportService,
        AuthService,
        SiteLoginService,
        LoginGuard,
        LoginThrottleRepository,
        TokenRevocation,
        SystemAccountsBootstrap,
        { provide: PASSWORD_HANDOVER, useValue: runtime.terminal ? 'terminal' : 'file' },
        InitialPasswordVault,
        UnitAccountsService,
        { provide: STARTUP_PROBE, useClass: UnitAccountsProgress },
        SupportService,
        AuditService,
        AuditRetention,
      ],
    };
  }
}
