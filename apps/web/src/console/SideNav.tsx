// The console's left menu, the same for unit accounts (Layout) and a signed-in site (SiteLayout).
import { ReactNode } from 'react';

export interface SideNavItem {
  path: string;
  label: string;
  /** Shown after the label (the unread count of 通知). */
  badge?: ReactNode;
}

export function SideNav({
  items,
  section,
  children,
}: {
  items: SideNavItem[];
  /** The open section: its entry is marked as the current page. */
  section: string | undefined;
  /** Links after the menu (下载离线填报工具). */
  children?: ReactNode;
}) {
  return (
    <nav className="side" aria-label="主导航">
      <h1>
        全国政府网站
        <br />
        信息报送系统
      </h1>
      {items.map((item) => (
        <a
          key={item.path}
          href={`#/${item.path}`}
          className={item.path === section ? 'active' : undefined}
          aria-current={item.path === section ? 'page' : undefined}
        >
          {item.label}
          {item.badge}
        </a>
      ))}
      {children}
    </nav>
  );
}
