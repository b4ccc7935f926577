// A site signed in with its 标识码 and 校验码 (网站登录, role SITE): no account, no unit, and
// `GET /me` refuses its token, so what the header shows is kept beside the token in this tab.
import { token } from './api';

const SITE_KEY = 'gsr-console-site';
/** Unsaved 自查评分 answers of a site, kept in this tab until saved (screens/SelfAssessment.tsx). */
export const LOCAL_DRAFT_PREFIX = 'gsr-console-self-draft:';

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
  /** The signed-in site (null without a token). */
  get(): SiteSession | null {
    return token.get() ? siteSession.peek() : null;
  },
  /** The site last signed in here, even once its token is gone (to log it in again). */
  peek(): SiteSession | null {
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
  /** The session ended (expired or signed out); unsaved answers stay for the next login in this tab. */
  clear(): void {
    sessionStorage.removeItem(SITE_KEY);
  },
  /** 退出登录: nothing of the site stays in this tab. */
  forgetLocalDrafts(): void {
    for (const key of Object.keys(sessionStorage))
      if (key.startsWith(LOCAL_DRAFT_PREFIX)) sessionStorage.removeItem(key);
  },
};
