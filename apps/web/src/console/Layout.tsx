import { ReactNode, useEffect } from 'react';
import { get, Page } from './api';
import { ROLE_LABELS } from './format';
import { useRoute } from './router';
import { SideNav } from './SideNav';
import { AssessmentReport } from './screens/assessment/AssessmentReport';
import { AssessmentStats } from './screens/assessment/AssessmentStats';
import { InspectionPage, Inspections } from './screens/assessment/Inspections';
import { InspectionSite } from './screens/assessment/InspectionSite';
import { Audit } from './screens/Audit';
import { ChangePassword } from './screens/ChangePassword';
import { Contact } from './screens/Contact';
import { Files } from './screens/Files';
import { Import } from './screens/Import';
import { NodeRequests } from './screens/NodeRequests';
import { Notices } from './screens/Notices';
import { RecordDetail } from './screens/RecordDetail';
import { RecordPrint } from './screens/RecordPrint';
import { RecordEditor } from './screens/RecordEditor';
import { Records } from './screens/Records';
import { Stats } from './screens/Stats';
import { Support } from './screens/Support';
import { Tree } from './screens/Tree';
import { isRoot, isUnit, Me } from './session';
import { useLoad } from './ui';

const UNREAD_POLL_MS = 30_000;

interface NavItem {
  path: string;
  label: string;
  show: (me: Me) => boolean;
}

/**
 * The menu, each entry for the accounts the gateway lets use it (its @Access rules): unit
 * screens for unit accounts only; support sees 账号支持 and the auditor 审计日志, nothing else.
 * A screen not in the caller's menu is not opened by its address either.
 */
const NAV: NavItem[] = [
  { path: 'records', label: '报送记录', show: isUnit },
  { path: 'stats', label: '统计', show: isUnit },
  { path: 'inspections', label: '检查打分', show: isUnit },
  { path: 'assessment', label: '评分统计', show: isUnit },
  { path: 'import', label: '导入', show: isUnit },
  { path: 'notices', label: '通知', show: isUnit },
  { path: 'files', label: '文件中心', show: isUnit },
  { path: 'node-requests', label: '新增节点申请', show: isUnit },
  { path: 'tree', label: '全国单位树', show: isRoot },
  { path: 'contact', label: '联系人信息', show: isUnit },
  { path: 'support', label: '账号支持', show: (me) => me.roles.includes('SUPPORT') },
  { path: 'audit', label: '审计日志', show: (me) => me.roles.includes('AUDITOR') },
];

export function Layout({
  me,
  onLogout,
  onSignOut,
}: {
  me: Me;
  /** The session ended here (after a password change: the server revoked the token already). */
  onLogout: (message?: string) => void;
  /** 退出登录: the server revokes the account's tokens, then the session ends here. */
  onSignOut: () => void;
}) {
  const route = useRoute();
  const items = NAV.filter((item) => item.show(me));
  const section = route[0] ?? items[0]?.path;
  const unread = useLoad(
    () => (isUnit(me) ? get<Page<unknown> & { unread: number }>('/notices?pageSize=1') : Promise.resolve(null)),
    [section],
  );
  // The badge follows new notices without a page change: every half minute, and on coming back to the tab.
  const reloadUnread = unread.reload;
  useEffect(() => {
    if (!isUnit(me)) return;
    const timer = setInterval(reloadUnread, UNREAD_POLL_MS);
    const onBack = () => {
      if (document.visibilityState === 'visible') reloadUnread();
    };
    window.addEventListener('focus', onBack);
    document.addEventListener('visibilitychange', onBack);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onBack);
      document.removeEventListener('visibilitychange', onBack);
    };
  }, [me, reloadUnread]);

  return (
    <div className="shell">
      <SideNav
        section={section}
        items={items.map((item) => ({
          ...item,
          badge:
            item.path === 'notices' && unread.data?.unread ? (
              <span className="badge" aria-label={`${unread.data.unread}条未读`}>
                {unread.data.unread}
              </span>
            ) : null,
        }))}
      >
        {isUnit(me) && <a href="/client/download">下载离线填报工具</a>}
      </SideNav>
      <div className="main">
        <header className="bar">
          <span data-testid="who">
            {me.orgUnit ? `${me.orgUnit.name}（${me.orgUnit.code}）` : me.username} ·{' '}
            {me.roles.map((r) => ROLE_LABELS[r] ?? r).join('、')}
          </span>
          <span>
            <a href="#/password">修改密码</a>
            <button className="link" onClick={() => onSignOut()}>
              退出登录
            </button>
          </span>
        </header>
        {section === 'password' ? (
          <ChangePassword forced={false} onDone={() => onLogout('密码已修改，请用新密码重新登录')} />
        ) : items.some((item) => item.path === section) ? (
          screen(me, section, route.slice(1), unread.reload)
        ) : (
          <div className="empty">没有这个页面，或当前账号无权访问。请从左侧菜单选择。</div>
        )}
      </div>
    </div>
  );
}

function screen(me: Me, section: string | undefined, rest: string[], onNoticesRead: () => void): ReactNode {
  switch (section) {
    case 'records':
      if (rest[1] === 'edit') return <RecordEditor id={rest[0]} />;
      if (rest[1] === 'change') return <RecordEditor id={rest[0]} change />;
      if (rest[1] === 'print') return <RecordPrint id={rest[0]} />;
      return rest[0] ? <RecordDetail id={rest[0]} me={me} /> : <Records me={me} />;
    case 'stats':
      return <Stats me={me} unitId={rest[0]} />;
    case 'inspections':
      if (rest[1]) return <InspectionSite id={rest[0]} siteCode={rest[1]} />;
      return rest[0] ? <InspectionPage id={rest[0]} /> : <Inspections me={me} />;
    case 'assessment':
      if (rest[0] === 'report') return <AssessmentReport unitId={rest[1]} />;
      return <AssessmentStats unitId={rest[0]} />;
    case 'import':
      return <Import />;
    case 'notices':
      return <Notices onRead={onNoticesRead} />;
    case 'files':
      return <Files />;
    case 'node-requests':
      return <NodeRequests me={me} />;
    case 'tree':
      return <Tree me={me} />;
    case 'contact':
      return <Contact me={me} />;
    case 'support':
      return <Support />;
    case 'audit':
      return <Audit />;
    default:
      return null;
  }
}
