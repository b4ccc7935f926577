import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseModule, PlatformModule, ServiceRuntime } from '@app/platform';
import { Account } from './accounts/account.entity';
import { SystemAccountsBootstrap } from './accounts/system-accounts.bootstrap';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { CreateAccounts1764180000000 } from './migrations/1764180000000-CreateAccounts';

export const IDENTITY_MIGRATIONS = [CreateAccounts1764180000000];

/** Accounts, password hashes, roles and access tokens. */
@Module({})
export class IdentityModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    const { config } = runtime;
    if (!config.JWT_SECRET) throw new Error('JWT_SECRET is required by identity (the launcher generates one for the embedded default)');
    return {
      module: IdentityModule,
      imports: [
        PlatformModule.forApp({ service: 'identity', ...runtime }),
        DatabaseModule.forService({ service: 'identity', schema: 'identity', config, entities: [Account], migrations: IDENTITY_MIGRATIONS }),
        TypeOrmModule.forFeature([Account]),
        JwtModule.register({ secret: config.JWT_SECRET, signOptions: { algorithm: 'HS256', issuer: 'gsr-identity' } }),
      ],
      controllers: [AuthController],
      providers: [AuthService, SystemAccountsBootstrap],
    };
  }
}
