// The console of a site signed in with its 标识码 and 校验码 (role SITE): its 自查评分 and its
// 网站监测, nothing of a unit's (the gateway refuses a SITE token everywhere else anyway).
import { useState } from 'react';
import { useRoute } from './router';
import { MonitoringPanel } from './screens/Monitoring';
import { SelfAssessment } from './screens/SelfAssessment';
import { SideNav } from './SideNav';
import { LOCAL_DRAFT_PREFIX, SiteSession } from './site-session';
import { Dialog } from './ui';

const SITE_NAV = [
  { path: 'self-assessment', label: '自查评分' },
  { path: 'monitoring', label: '网站监测' },
] as const;

export function SiteLayout({ site, onSignOut }: { site: SiteSession; onSignOut: () => void }) {
  const route = useRoute();
  const section = route[0] ?? SITE_NAV[0].path;
  const [asking, setAsking] = useState(false);
  // Unsaved 自查评分 answers are dropped by 退出登录: ask first.
  const signOut = () => {
    if (Object.keys(sessionStorage).some((key) => key.startsWith(LOCAL_DRAFT_PREFIX))) setAsking(true);
    else onSignOut();
  };
  return (
    <div className="shell">
      <SideNav items={[...SITE_NAV]} section={section} />
      <div className="main">
        <header className="bar">
          <span data-testid="site-who">
            {site.siteName}（网站标识码 {site.siteCode}）· 网站登录
          </span>
          <span>
            <button className="link" onClick={signOut}>
              退出登录
            </button>
          </span>
        </header>
        {section === 'self-assessment' ? (
          <SelfAssessment siteCode={site.siteCode} />
        ) : section === 'monitoring' ? (
          <section>
            <h2>网站监测</h2>
            <MonitoringPanel siteCode={site.siteCode} />
          </section>
        ) : (
          <div className="empty">没有这个页面。请从左侧菜单选择。</div>
        )}
      </div>
      {asking && (
        <Dialog title="退出登录" onClose={() => setAsking(false)}>
          <p>自查评分有未保存的填写内容，退出后将丢失。确定退出吗？</p>
          <div className="actions">
            <button className="danger" onClick={onSignOut}>
              退出
            </button>
            <button data-autofocus onClick={() => setAsking(false)}>
              取消
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
