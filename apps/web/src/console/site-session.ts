// A site signed in with its 标识码 and 校验码 (网站登录, role SITE): no account, no unit, and
// `GET /me` refuses its token, so what the header shows is kept beside the token in this tab.
import { token } from './api';

const SITE_KEY = 'gsr-console-site';

export interface SiteSession {
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
}

export interface SiteLoginReply {
  accessToken: string;
  expiresIn: number;
  site: SiteSession;
}

export const siteSession = {
  get(): SiteSession | null {
    if (!token.get()) return null;
    try {
      const site = JSON.parse(sessionStorage.getItem(SITE_KEY) ?? 'null') as SiteSession | null;
      return site && typeof site.siteCode === 'string' ? site : null;
    } catch {
      return null;
    }
  },
  start(reply: SiteLoginReply): void {
    token.set(reply.accessToken);
    sessionStorage.setItem(SITE_KEY, JSON.stringify(reply.site));
  },
  clear(): void {
    sessionStorage.removeItem(SITE_KEY);
  },
};
