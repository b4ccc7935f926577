import { Injectable } from '@nestjs/common';
import {
  CommonErrorCodes,
  NotificationSubjects,
  RECOVERY_CLIENT_WINDOW_MS,
  RECOVERY_LIMIT_PER_CLIENT,
  SiteCodeRecoveryRequest,
} from '@app/contracts';
import { normalizeText, trimText } from '@app/forms';
import { AuditTrail, DomainError, Outbox } from '@app/platform';
import { EntityManager } from 'typeorm';
import { RecordRepository } from '../records/record.repository';
import { SiteCodes } from '../workflow/site-codes';
import { SitePeople, siteCodeMail } from '../workflow/workflow-messages';
import { RecoveryRepository } from './recovery.repository';

/** Recovery mails per record within the window; more are dropped silently (the answer never changes). */
export const RECOVERY_MAILS_PER_RECORD = 3;
export const RECOVERY_WINDOW_HOURS = 24;

/** A registered person matches when name and email agree after the form rules' normalisation. */
export function registeredPerson(site: SitePeople, personName: string, email: string): boolean {
  const name = trimText(personName);
  const mail = normalizeText(email).toLowerCase();
  return (
    (name === trimText(site.principalName) && mail === normalizeText(site.principalEmail).toLowerCase()) ||
    (name === trimText(site.contactName) && mail === normalizeText(site.contactEmail).toLowerCase())
  );
}

/** The homepage as stored, with and without a trailing slash. */
export function homepageVariants(url: string): string[] {
  const base = normalizeText(url).replace(/\/+$/, '');
  return [base, `${base}/`];
}

/**
 * 标识码找回: on a match (site name + homepage + a registered person's name and email) the
 * codes go by mail to the site's registered addresses only, never to the caller. The caller
 * learns nothing: the reply is the same whatever happened.
 */
@Injectable()
export class SiteCodeRecoveryService {
  constructor(
    private readonly records: RecordRepository,
    private readonly recoveries: RecoveryRepository,
    private readonly siteCodes: SiteCodes,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
  ) {}

  async recover(request: SiteCodeRecoveryRequest): Promise<{ accepted: true }> {
    const siteName = trimText(request.siteName);
    await this.records.transaction(async (manager) => {
      if (request.clientKey) await this.countAttempt(manager, request.clientKey);
      const candidates = await this.records.lockCodedSites(manager, siteName, homepageVariants(request.homepageUrl));
      const matches = (await this.records.sitePeople(manager, candidates)).filter((site) =>
        registeredPerson(site, request.personName, request.email),
      );
      const sent: string[] = [];
      for (const site of matches) {
        const recent = await this.recoveries.mailsSince(manager, site.id, RECOVERY_WINDOW_HOURS);
        if (recent >= RECOVERY_MAILS_PER_RECORD || !site.siteCode || !site.checkCodeEnc) continue;
        const attemptId = await this.recoveries.logMail(manager, site.id, request.clientKey ?? null);
        const codes = { siteCode: site.siteCode, checkCode: this.siteCodes.open(site.id, site.checkCodeEnc) };
        const mail = siteCodeMail(site, codes, 'recovery', `site-code-recovery:${attemptId}`, new Date());
        if (mail.to.length > 0) await this.outbox.enqueue(manager, NotificationSubjects.sendMail, mail);
        sent.push(site.id);
      }
      await this.audit.record(manager, {
        actor: null,
        action: 'site-code.recovery',
        outcome: sent.length > 0 ? 'success' : 'denied',
        targetType: 'record',
        targetId: matches[0]?.id,
        details: { siteName, matched: matches.length, mailed: sent.length, client: request.clientKey ?? null },
      });
    });
    return { accepted: true };
  }

  /**
   * The per-client limit, shared by every gateway replica: attempts are rows, counted under a
   * per-client transaction lock (concurrent attempts from one client queue up, others don't).
   * A refused attempt is not recorded (its transaction rolls back), so the window slides.
   */
  private async countAttempt(manager: EntityManager, clientKey: string): Promise<void> {
    const recent = await this.recoveries.lockClientAttempts(manager, clientKey, RECOVERY_CLIENT_WINDOW_MS);
    if (recent >= RECOVERY_LIMIT_PER_CLIENT)
      throw new DomainError(CommonErrorCodes.RATE_LIMITED, '找回请求过于频繁，请稍后再试');
    await this.recoveries.logAttempt(manager, clientKey);
  }
}
