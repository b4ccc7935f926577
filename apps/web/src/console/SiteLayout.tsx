// The console of a site signed in with its 标识码 and 校验码 (role SITE): its 自查评分 and its
// 网站监测, nothing of a unit's (the gateway refuses a SITE token everywhere else anyway).
import { useRoute } from './router';
import { MonitoringPanel } from './screens/Monitoring';
import { SelfAssessment } from './screens/SelfAssessment';
import { SiteSession } from './site-session';

const SITE_NAV = [
  { path: 'self-assessment', label: '自查评分' },
  { path: 'monitoring', label: '网站监测' },
] as const;

export function SiteLayout({ site, onSignOut }: { site: SiteSession; onSignOut: () => void }) {
  const route = useRoute();
  const section = route[0] ?? SITE_NAV[0].path;
  return (
    <div className="shell">
      <nav className="side" aria-label="主导航">
        <h1>
          全国政府网站
          <br />
          信息报送系统
        </h1>
        {SITE_NAV.map((item) => (
          <a
            key={item.path}
            href={`#/${item.path}`}
            className={item.path === section ? 'active' : undefined}
            aria-current={item.path === section ? 'page' : undefined}
          >
            {item.label}
          </a>
        ))}
      </nav>
      <div className="main">
        <header className="bar">
          <span data-testid="site-who">
            {site.siteName}（网站标识码 {site.siteCode}）· 网站登录
          </span>
          <span>
            <button className="link" onClick={onSignOut}>
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
    </div>
  );
}
