import { AccountPage } from './account/AccountPage';
import { ErasureReceiptPage } from './account/ErasureReceiptPage';
import { AdminPage } from './admin/AdminPage';
import { AlbumPage } from './albums/AlbumPage';
import { AlbumsPage } from './albums/AlbumsPage';
import { AuthGate } from './auth/AuthGate';
import { useSession } from './auth/session';
import { RouterProvider, useRouter } from './layout/router';
import { Shell } from './layout/Shell';
import { PublicPage } from './public/PublicPage';
import { PrivacyPage } from './privacy/PrivacyPage';
import { LinksPage } from './shares/LinksPage';
import { ImportPage } from './takeout/ImportPage';
import { TimelinePage } from './timeline/TimelinePage';
import { UploadProvider } from './upload/UploadContext';

function Pages() {
  const { path } = useRouter();
  const { user } = useSession();
  if (path === '/' || path === '/photos') return <TimelinePage view="timeline" />;
  if (path === '/favorites') return <TimelinePage view="favorites" />;
  if (path === '/archive') return <TimelinePage view="archive" />;
  if (path === '/trash') return <TimelinePage view="trash" />;
  if (path === '/albums') return <AlbumsPage />;
  const album = /^\/albums\/([^/]+)$/.exec(path);
  if (album?.[1]) return <AlbumPage id={decodeURIComponent(album[1])} />;
  if (path === '/sharing') return <LinksPage />;
  if (path === '/import') return <ImportPage />;
  if (path === '/admin' && user.isAdmin) return <AdminPage />;
  if (path === '/account') return <AccountPage />;
  return (
    <Shell title="Not found">
      <p className="center-message">There is no page at {path}.</p>
    </Shell>
  );
}

/** A share link's page needs no account: it is shown without the sign-in gate. */
function Root() {
  const { path } = useRouter();
  const link = /^\/s\/([^/]+)\/?$/.exec(path);
  if (link?.[1]) return <PublicPage linkKey={decodeURIComponent(link[1])} />;
  // Readable before signing up: what this server does with personal data.
  if (path === '/privacy') return <PrivacyPage />;
  // An erased account's receipt: its token is the only key.
  const receipt = /^\/erasure-receipt\/([^/]+)\/?$/.exec(path);
  if (receipt?.[1]) return <ErasureReceiptPage token={decodeURIComponent(receipt[1])} />;
  return (
    <AuthGate>
      <UploadProvider>
        <Pages />
      </UploadProvider>
    </AuthGate>
  );
}

export function App() {
  return (
    <RouterProvider>
      <Root />
    </RouterProvider>
  );
}
