import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { AccessTokenClaims, IdentityErrorCodes, LoginReply, LoginRequest } from '@app/contracts';
import { APP_CONFIG, AppConfig, DomainError } from '@app/platform';
import { Repository } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { UNMATCHABLE_HASH, verifyPassword } from '../accounts/password-hasher';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the password and issues an access token. One message for every kind of failure. */
  async login(request: LoginRequest): Promise<LoginReply> {
    const account = await this.accounts.findOne({ where: { username: request.username.trim() } });
    // Verify against a dummy hash for unknown users, so timing does not reveal which usernames exist.
    const matches = await verifyPassword(request.password, account?.passwordHash ?? UNMATCHABLE_HASH);
    if (!account || !matches) throw new DomainError(IdentityErrorCodes.INVALID_CREDENTIALS, '账号或密码错误');
    const claims: AccessTokenClaims = { sub: account.id, username: account.username, orgUnitId: account.orgUnitId, roles: account.roles, mcp: account.mustChangePassword };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS });
    return {
      accessToken,
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      mustChangePassword: account.mustChangePassword,
      user: { id: account.id, username: account.username, orgUnitId: account.orgUnitId, roles: account.roles },
    };
  }
}
