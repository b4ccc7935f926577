import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountSubjects, ChangePasswordRequest, IdentitySubjects, LoginAttempt, LoginReply } from '@app/contracts';
import { AuthService } from './auth.service';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @MessagePattern(IdentitySubjects.login.name)
  login(@Payload() request: LoginAttempt): Promise<LoginReply> {
    return this.auth.login(request);
  }

  @MessagePattern(AccountSubjects.changePassword.name)
  changePassword(@Payload() request: ChangePasswordRequest) {
    return this.auth.changePassword(request.actor, request.currentPassword, request.newPassword, request.client);
  }
}
