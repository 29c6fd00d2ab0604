import { useState, type ReactNode } from 'react';
import { AccountIcon } from '../account/AccountIcon';
import { useSession } from '../auth/session';
import { DropZone } from '../upload/DropZone';
import { UploadButton, UploadPanel } from '../upload/UploadPanel';
import {
  AlbumIcon,
  ArchiveIcon,
  HeartIcon,
  LinkIcon,
  MenuIcon,
  PhotosIcon,
  TrashIcon,
  UsersIcon,
  ImportIcon,
} from './icons';
import { Link, useRouter } from './router';

/** The frame of every signed-in page: navigation, upload, account; drop target everywhere. */
export function Shell({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { user, signOut } = useSession();
  const { path } = useRouter();
  const [menuOpen, setMenuOpen] = useState(false);
  const nav = [
    { to: '/', label: 'Photos', icon: <PhotosIcon /> },
    { to: '/favorites', label: 'Favourites', icon: <HeartIcon /> },
    { to: '/albums', label: 'Albums', icon: <AlbumIcon /> },
    { to: '/sharing', label: 'Sharing', icon: <LinkIcon /> },
    { to: '/import', label: 'Import', icon: <ImportIcon /> },
    { to: '/archive', label: 'Archive', icon: <ArchiveIcon /> },
    { to: '/trash', label: 'Trash', icon: <TrashIcon /> },
    { to: '/account', label: 'Account', icon: <AccountIcon /> },
    ...(user.isAdmin ? [{ to: '/admin', label: 'Users', icon: <UsersIcon /> }] : []),
  ];
  return (
    <div className="shell">
      <header className="topbar">
        <button
          type="button"
          className="icon-button menu-button"
          aria-label="Menu"
          aria-expanded={menuOpen}
          onClick={() => {
            setMenuOpen(!menuOpen);
          }}
        >
          <MenuIcon />
        </button>
        <span className="brand">PixelUnion</span>
        <h1 className="page-title">{title}</h1>
        <span className="spacer" />
        {actions}
        <UploadButton />
        <span className="user-name hide-small" title={user.email}>
          {user.name}
        </span>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav
        className={menuOpen ? 'sidebar open' : 'sidebar'}
        aria-label="Main"
        onClick={() => {
          setMenuOpen(false);
        }}
      >
        {nav.map((item) => (
          <Link key={item.to} to={item.to} className={path === item.to ? 'active' : undefined}>
            {item.icon}
            <span>{item.label}</span>
          </Link>
        ))}
        {/* A new tab: leaving the signed-in app here would end uploads in progress. */}
        <a href="/privacy" target="_blank" rel="noopener" className="sidebar-privacy">
          Privacy
        </a>
      </nav>
      <main className="content">{children}</main>
      <UploadPanel />
      <DropZone />
    </div>
  );
}
