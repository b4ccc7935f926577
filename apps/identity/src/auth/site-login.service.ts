import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  AccessTokenClaims,
  AssessmentErrorCodes,
  Roles,
  SiteInfo,
  SiteLoginAttempt,
  SiteLoginReply,
  SiteSubjects,
} from '@app/contracts';
import { AccountSettings, APP_CONFIG, auditEntry, BusClient, DomainError } from '@app/platform';
import { AccountRepository } from '../accounts/account.repository';
import { AuditService } from '../audit/audit.service';
import { LoginGuard } from './login-guard';

/** The throttle's key for a site: its own namespace beside the usernames (which have no colon). */
export function siteThrottleKey(siteCode: string): string {
  return `site:${siteCode.toUpperCase()}`;
}

/**
 * 网站登录（自查评分）: a site signs in with its 网站标识码 and 校验码 and gets a token with
 * role SITE for that one site. Review checks the 校验码 where it is kept (sealed) and never
 * sends it; failures count and lock exactly like a password (LoginGuard, keyed by the 标识码
 * and the client), and every attempt is audited.
 */
@Injectable()
export class SiteLoginService {
  constructor(
    private readonly bus: BusClient,
    private readonly jwt: JwtService,
    private readonly guard: LoginGuard,
    private readonly accounts: AccountRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AccountSettings,
  ) {}

  async login(request: SiteLoginAttempt): Promise<SiteLoginReply> {
    const siteCode = request.siteCode.trim();
    const ticket = await this.guard.admit(siteThrottleKey(siteCode), request.client, false, true);
    const { site } = await this.bus.request(SiteSubjects.verifyCheckCode, {
      siteCode,
      checkCode: request.checkCode.trim(),
    });
    if (!site) return this.failed(ticket, siteCode);
    if (site.lifecycle !== 'ACTIVE') return this.inactive(ticket, site);
    await this.guard.loggedIn(
      ticket,
      auditEntry('identity', {
        actor: siteActor(site),
        action: 'site-auth.login',
        targetType: 'record',
        targetId: site.recordId,
        details: { siteCode: site.siteCode, siteName: site.siteName, client: ticket.clientKey },
      }),
    );
    const claims: AccessTokenClaims = {
      sub: site.recordId,
      username: site.siteCode,
      orgUnitId: null,
      roles: [Roles.SITE],
      mcp: false,
      site: site.siteCode,
    };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS });
    return {
      accessToken,
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      site: { siteCode: site.siteCode, siteName: site.siteName, ownerOrgUnitId: site.ownerOrgUnitId },
    };
  }

  /**
   * The right codes of a site that is 关停 or 注销: no failure is counted (the codes are right),
   * the refusal is audited, and the site is told why (403 SITE_NOT_ACTIVE).
   */
  private async inactive(ticket: Awaited<ReturnType<LoginGuard['admit']>>, site: SiteInfo): Promise<never> {
    await this.accounts.transaction(async (manager) => {
      await this.guard.succeeded(manager, ticket);
      await this.audit.record(manager, {
        actor: siteActor(site),
        action: 'site-auth.login',
        outcome: 'denied',
        targetType: 'record',
        targetId: site.recordId,
        details: {
          siteCode: site.siteCode,
          siteName: site.siteName,
          client: ticket.clientKey,
          lifecycle: site.lifecycle,
        },
      });
    });
    throw new DomainError(AssessmentErrorCodes.SITE_NOT_ACTIVE, INACTIVE_SITE_MESSAGES[site.lifecycle as 'CLOSED']);
  }

  private async failed(ticket: Awaited<ReturnType<LoginGuard['admit']>>, siteCode: string): Promise<never> {
    const refusal = await this.accounts.transaction(async (manager) => {
      const lock = await this.guard.failed(manager, ticket);
      // What was typed as the 标识码 is kept (it names a site, never a secret); the 校验码 never.
      await this.audit.record(manager, {
        actor: null,
        action: lock ? 'site-auth.locked' : 'site-auth.login',
        outcome: 'failure',
        targetType: 'record',
        details: { siteCode, client: ticket.clientKey },
      });
      return lock;
    });
    throw refusal ?? new DomainError(AssessmentErrorCodes.INVALID_SITE_CREDENTIALS, '网站标识码或校验码错误');
  }
}

/** Why a closed or deregistered site, with the right codes, is not signed in. */
const INACTIVE_SITE_MESSAGES: Record<Exclude<SiteInfo['lifecycle'], 'ACTIVE'>, string> = {
  CLOSED: '该网站已关停，关停期间不参加自查评分；恢复运行后即可登录',
  DEREGISTERED: '该网站已注销，不能再登录',
};

/** The site as the actor of its own actions: its record id, its 标识码, no unit. */
function siteActor(site: SiteInfo) {
  return { accountId: site.recordId, username: site.siteCode, orgUnitId: null };
}
