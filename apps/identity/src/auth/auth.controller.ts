import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountSubjects,
  ChangePasswordRequest,
  IdentitySubjects,
  LoginAttempt,
  LoginReply,
  LogoutRequest,
  SiteLoginAttempt,
  SiteLoginReply,
  TokenVersionRequest,
} from '@app/contracts';
import { AuthService } from './auth.service';
import { SiteLoginService } from './site-login.service';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sites: SiteLoginService,
  ) {}

  @MessagePattern(IdentitySubjects.siteLogin.name)
  siteLogin(@Payload() request: SiteLoginAttempt): Promise<SiteLoginReply> {
    return this.sites.login(request);
  }

  @MessagePattern(IdentitySubjects.login.name)
  login(@Payload() request: LoginAttempt): Promise<LoginReply> {
    return this.auth.login(request);
  }

  @MessagePattern(IdentitySubjects.logout.name)
  logout(@Payload() request: LogoutRequest) {
    return this.auth.logout(request.actor);
  }

  @MessagePattern(IdentitySubjects.tokenVersion.name)
  tokenVersion(@Payload() request: TokenVersionRequest) {
    return this.auth.tokenVersion(request.accountId);
  }

  @MessagePattern(AccountSubjects.changePassword.name)
  changePassword(@Payload() request: ChangePasswordRequest) {
    return this.auth.changePassword(request.actor, request.currentPassword, request.newPassword, request.client);
  }
}
