import { AdminPage } from './admin/AdminPage';
import { AlbumPage } from './albums/AlbumPage';
import { AlbumsPage } from './albums/AlbumsPage';
import { AuthGate } from './auth/AuthGate';
import { useSession } from './auth/session';
import { RouterProvider, useRouter } from './layout/router';
import { Shell } from './layout/Shell';
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
  if (path === '/admin' && user.isAdmin) return <AdminPage />;
  return (
    <Shell title="Not found">
      <p className="center-message">There is no page at {path}.</p>
    </Shell>
  );
}

export function App() {
  return (
    <RouterProvider>
      <AuthGate>
        <UploadProvider>
          <Pages />
        </UploadProvider>
      </AuthGate>
    </RouterProvider>
  );
}
