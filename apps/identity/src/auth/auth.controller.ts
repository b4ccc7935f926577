import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountSubjects,
  ChangePasswordRequest,
  IdentitySubjects,
  LoginAttempt,
  LoginReply,
  LogoutRequest,
  TokenVersionRequest,
} from '@app/contracts';
import { AuthService } from './auth.service';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

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
