import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountByUsernameRequest,
  AccountSubjects,
  CredentialsRequest,
  EnsureUnitAccountsRequest,
  FindAccountsRequest,
  ResetToInitialRequest,
} from '@app/contracts';
import { SupportService } from './support.service';
import { UnitAccountsService } from './unit-accounts.service';

@Controller()
export class AccountsController {
  constructor(
    private readonly unitAccounts: UnitAccountsService,
    private readonly support: SupportService,
  ) {}

  @MessagePattern(AccountSubjects.ensureUnitAccounts.name)
  ensure(@Payload() request: EnsureUnitAccountsRequest) {
    return this.unitAccounts.ensure(request.units);
  }

  @MessagePattern(AccountSubjects.credentials.name)
  credentials(@Payload() request: CredentialsRequest) {
    return this.unitAccounts.credentials(request.orgUnitIds);
  }

  @MessagePattern(AccountSubjects.find.name)
  find(@Payload() request: FindAccountsRequest) {
    return this.support.find(request);
  }

  @MessagePattern(AccountSubjects.resetToInitial.name)
  resetToInitial(@Payload() request: ResetToInitialRequest) {
    return this.support.resetToInitial(request);
  }

  @MessagePattern(AccountSubjects.unlock.name)
  unlock(@Payload() request: AccountByUsernameRequest) {
    return this.support.unlock(request.actor, request.username);
  }
}
