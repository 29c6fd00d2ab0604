import { useEffect, useMemo, useState } from 'react';
import { describeError } from '../api/client';
import { albums, assets, shares } from '../api/endpoints';
import type { Album } from '../api/types';
import { useSession } from '../auth/session';
import { AlbumIcon, CloseIcon, LinkIcon, PlusIcon, UsersIcon } from '../layout/icons';
import { Link, useRouter } from '../layout/router';
import { Shell } from '../layout/Shell';
import { ShareDialog } from '../shares/ShareDialog';
import { JustifiedGrid } from '../timeline/JustifiedGrid';
import { Viewer } from '../viewer/Viewer';
import { AddPhotosDialog } from './AddPhotosDialog';
import { EditAlbumDialog } from './EditAlbumDialog';
import { MembersDialog } from './MembersDialog';
import { FormError } from '../layout/FormError';

const roleNote = {
  viewer: 'you can view and download',
  editor: 'you can add and remove photos',
};

/** One album in justified rows (all in the DOM: albums are small); share it; edit its photos. */
export function AlbumPage({ id }: { id: string }) {
  const { navigate } = useRouter();
  const { user } = useSession();
  const [album, setAlbum] = useState<Album | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'share' | 'members' | 'add' | 'edit' | null>(null);
  const [activeLinks, setActiveLinks] = useState<number | null>(null);

  const load = () => {
    albums.get(id).then(setAlbum, (err: unknown) => {
      setError(describeError(err));
    });
  };
  useEffect(load, [id]);

  const gridItems = useMemo(
    () =>
      (album?.items ?? []).map((item) => ({
        id: item.id,
        ratio: item.ratio,
        thumbhash: item.thumbhash,
        isVideo: item.type === 'video',
        durationSeconds: item.durationSeconds,
        label: 'Open photo',
      })),
    [album],
  );
  const isOwner = album?.role === 'owner';
  const canEdit = album !== null && album.role !== 'viewer';

  const countLinks = () => {
    shares.list(id).then(
      (list) => {
        setActiveLinks(list.filter((l) => l.status === 'active').length);
      },
      () => undefined,
    );
  };
  useEffect(() => {
    if (isOwner) countLinks();
  }, [isOwner, id]);

  const remove = async (assetId: string) => {
    try {
      await albums.removeAssets(id, [assetId]);
      load();
    } catch (err) {
      setError(describeError(err));
    }
  };

  const makeCover = async (assetId: string) => {
    try {
      await albums.update(id, { coverAssetId: assetId });
      load();
    } catch (err) {
      setError(describeError(err));
    }
  };

  const leave = async () => {
    if (!album || !window.confirm(`Leave “${album.title}”? You will no longer see it.`)) return;
    try {
      await albums.removeMember(id, user.id);
      navigate('/albums');
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Shell title={album?.title || 'Album'}>
      <div className="page">
        <p>
          <Link to="/albums">← All albums</Link>
        </p>
        <FormError error={error} />
        {!album && !error && <p>Loading album…</p>}
        {album && (
          <div className="album-head">
            <div>
              <h2 className="album-title">{album.title || 'Untitled album'}</h2>
              <p className="album-meta">
                {album.assetCount} item{album.assetCount === 1 ? '' : 's'}
                {album.startDate
                  ? ` · ${album.startDate.slice(0, 10)}${
                      album.endDate && album.endDate.slice(0, 10) !== album.startDate.slice(0, 10)
                        ? ` – ${album.endDate.slice(0, 10)}`
                        : ''
                    }`
                  : ''}
                {album.shared && album.role !== 'owner'
                  ? ` · Shared by ${album.ownerName}: ${roleNote[album.role]}`
                  : ''}
                {isOwner && album.members.length > 0
                  ? ` · Shared with ${album.members.map((m) => m.name).join(', ')}`
                  : ''}
                {isOwner && activeLinks
                  ? ` · ${activeLinks} active link${activeLinks === 1 ? '' : 's'}`
                  : ''}
              </p>
            </div>
            <div className="album-toolbar" role="toolbar" aria-label="Album actions">
              {canEdit && (
                <button
                  type="button"
                  onClick={() => {
                    setDialog('add');
                  }}
                >
                  <PlusIcon /> Add photos
                </button>
              )}
              {isOwner && (
                <button
                  type="button"
                  onClick={() => {
                    setDialog('edit');
                  }}
                >
                  Edit
                </button>
              )}
              {isOwner && (
                <button
                  type="button"
                  onClick={() => {
                    setDialog('members');
                  }}
                >
                  <UsersIcon /> People
                </button>
              )}
              {isOwner && (
                <button
                  type="button"
                  className="primary"
                  onClick={() => {
                    setDialog('share');
                  }}
                >
                  <LinkIcon /> Share link
                </button>
              )}
              {!isOwner && (
                <button type="button" className="secondary" onClick={() => void leave()}>
                  Leave album
                </button>
              )}
            </div>
          </div>
        )}
        {album?.description && <p>{album.description}</p>}
        {album?.assetIds.length === 0 && (
          <p>
            This album is empty
            {canEdit ? ': use Add photos, or select photos in the timeline and add them.' : '.'}
          </p>
        )}
        {album && album.items.length > 0 && (
          <JustifiedGrid
            items={gridItems}
            thumbnailUrl={assets.thumbnailUrl}
            onOpen={(index) => {
              setOpenId(album.items[index]?.id ?? null);
            }}
            action={
              canEdit
                ? (item) => (
                    <span className="tile-actions">
                      {isOwner && item.id !== album.coverAssetId && (
                        <button
                          type="button"
                          className="icon-button small"
                          aria-label="Use as cover"
                          title="Use as cover"
                          onClick={() => void makeCover(item.id)}
                        >
                          <AlbumIcon />
                        </button>
                      )}
                      <button
                        type="button"
                        className="icon-button small"
                        aria-label="Remove from album"
                        title="Remove from album"
                        onClick={() => void remove(item.id)}
                      >
                        <CloseIcon />
                      </button>
                    </span>
                  )
                : undefined
            }
            label="Photos in this album"
          />
        )}
      </div>
      {openId && album && (
        <Viewer
          ids={album.assetIds}
          id={openId}
          view="timeline"
          readOnly={!isOwner}
          onNavigate={setOpenId}
          onClose={() => {
            setOpenId(null);
          }}
          onChanged={load}
        />
      )}
      {dialog === 'share' && album && (
        <ShareDialog
          target={{ albumId: album.id, title: album.title }}
          onClose={() => {
            setDialog(null);
            countLinks();
          }}
        />
      )}
      {dialog === 'edit' && album && (
        <EditAlbumDialog
          album={album}
          onClose={(changed) => {
            setDialog(null);
            if (changed) load();
          }}
          onDeleted={() => {
            navigate('/albums');
          }}
        />
      )}
      {dialog === 'members' && album && (
        <MembersDialog
          album={album}
          onClose={(changed) => {
            setDialog(null);
            if (changed) load();
          }}
        />
      )}
      {dialog === 'add' && album && (
        <AddPhotosDialog
          albumId={album.id}
          inAlbum={album.assetIds}
          onClose={(added) => {
            setDialog(null);
            if (added) load();
          }}
        />
      )}
    </Shell>
  );
}
