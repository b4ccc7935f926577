import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SiteListRequest, SiteLookupRequest, SiteSubjects, VerifyCheckCodeRequest } from '@app/contracts';
import { SiteAccessService } from './site-access.service';

@Controller()
export class SitesController {
  constructor(private readonly sites: SiteAccessService) {}

  @MessagePattern(SiteSubjects.verifyCheckCode.name)
  verifyCheckCode(@Payload() request: VerifyCheckCodeRequest) {
    return this.sites.verifyCheckCode(request.siteCode, request.checkCode);
  }

  @MessagePattern(SiteSubjects.lookup.name)
  lookup(@Payload() request: SiteLookupRequest) {
    return this.sites.lookup(request.siteCode);
  }

  @MessagePattern(SiteSubjects.list.name)
  list(@Payload() request: SiteListRequest) {
    return this.sites.list(request);
  }
}
