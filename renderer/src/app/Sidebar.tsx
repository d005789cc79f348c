/** The left column: brand, views, folders of the library, indexing status, theme and settings. */
import type { FolderCount, LibraryStatus } from '../../../preload/contract';
import { Icon, type IconName } from '../components/Icon';
import { baseName } from '../components/format';
import { IndexingStatus } from '../features/indexing/IndexingStatus';
import type { Route, ViewName } from './route';

interface NavItem {
  view: ViewName;
  label: string;
  icon: IconName;
  /** Alt+this switches to the view (none for the views after the first four). */
  shortcut?: string;
}

const NAV: NavItem[] = [
  { view: 'library', label: 'Library', icon: 'photos', shortcut: '1' },
  { view: 'duplicates', label: 'Duplicates', icon: 'duplicates', shortcut: '2' },
  { view: 'clusters', label: 'Clusters', icon: 'clusters', shortcut: '3' },
  { view: 'search', label: 'Search', icon: 'search', shortcut: '4' },
  { view: 'people', label: 'People', icon: 'people', shortcut: '5' },
  { view: 'things', label: 'Things', icon: 'sparkles' },
];

export interface SidebarProps {
  route: Route;
  navigate: (route: Route) => void;
  status: LibraryStatus | undefined;
  folders: FolderCount[] | undefined;
  theme: 'light' | 'dark';
  onToggleTheme: () => void;
  onShowShortcuts: () => void;
  /** Icons only (a small window, or the user folded it). */
  collapsed: boolean;
  onToggleCollapsed: () => void;
}

export function Sidebar({ route, navigate, status, folders, theme, onToggleTheme, onShowShortcuts, collapsed, onToggleCollapsed }: SidebarProps) {
  const roots = status?.roots ?? [];
  const current = route.view === 'library' ? route.folder : undefined;
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <img src="/favicon.svg" alt="" width={26} height={26} />
        <span className="brand-name">Likeness</span>
        <button
          type="button"
          className="icon-btn sidebar-toggle"
          onClick={onToggleCollapsed}
          aria-label={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
          aria-expanded={!collapsed}
          title={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
          data-testid="sidebar-toggle"
        >
          <Icon name={collapsed ? 'chevron-right' : 'chevron-left'} size={16} />
        </button>
      </div>

      <ul className="nav-list">
        {NAV.map((item) => {
          const active = route.view === item.view && !(item.view === 'library' && current);
          return (
            <li key={item.view}>
              <button
                type="button"
                className={`nav-item${active ? ' active' : ''}`}
                aria-current={active ? 'page' : undefined}
                onClick={() => navigate({ view: item.view } as Route)}
                title={item.shortcut ? `${item.label} (Alt+${item.shortcut})` : item.label}
                data-testid={`nav-${item.view}`}
              >
                <Icon name={item.icon} />
                <span className="nav-label">{item.label}</span>
                {item.view === 'library' && status && <span className="nav-count">{status.indexed.toLocaleString()}</span>}
              </button>
            </li>
          );
        })}
        {(route.view === 'similar' || route.view === 'image-search') && (
          <li>
            <button type="button" className="nav-item active" aria-current="page">
              <Icon name="sparkles" />
              <span className="nav-label">Similar photos</span>
            </button>
          </li>
        )}
      </ul>

      <div className="sidebar-section">
        <div className="sidebar-heading">Folders</div>
        <ul className="folder-list" data-testid="folder-list">
          {(folders ?? []).map((f) => (
            <li key={f.path}>
              <button
                type="button"
                className={`folder-item${current === f.path ? ' active' : ''}`}
                title={f.path}
                onClick={() => navigate({ view: 'library', folder: f.path })}
              >
                <Icon name="folder" size={16} />
                <span className="folder-name">{folderLabel(f.path, roots)}</span>
                <span className="nav-count">{f.count.toLocaleString()}</span>
              </button>
            </li>
          ))}
          {folders && folders.length === 0 && <li className="sidebar-empty">No folders yet</li>}
        </ul>
      </div>

      <div className="sidebar-footer">
        <IndexingStatus status={status} />
        <div className="sidebar-footer-row">
          <button
            type="button"
            className={`nav-item${route.view === 'settings' ? ' active' : ''}`}
            onClick={() => navigate({ view: 'settings' })}
            title="Settings"
            data-testid="nav-settings"
          >
            <Icon name="settings" />
            <span className="nav-label">Settings</span>
          </button>
          <button type="button" className="icon-btn" onClick={onShowShortcuts} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
            <Icon name="keyboard" />
          </button>
          <button
            type="button"
            className="icon-btn"
            onClick={onToggleTheme}
            title={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
            aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
            data-testid="theme-toggle"
          >
            <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
          </button>
        </div>
      </div>
    </nav>
  );
}

/** "red" for a root's direct sub-folder, "red / 2024" deeper, the root's name for the root. */
export function folderLabel(folder: string, roots: string[]): string {
  const root = roots.filter((r) => folder === r || folder.startsWith(r.endsWith('/') || r.endsWith('\\') ? r : r + '/') || folder.startsWith(r + '\\')).sort((a, b) => b.length - a.length)[0];
  if (!root) return baseName(folder);
  if (root === folder) return baseName(folder);
  return folder.slice(root.length).replace(/^[\\/]+/, '').split(/[\\/]/).join(' / ');
}
