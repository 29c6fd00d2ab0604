import { useEffect, useState } from 'react';
import { describeError } from '../api/client';
import { albums, assets } from '../api/endpoints';
import type { Album } from '../api/types';
import { CloseIcon } from '../layout/icons';
import { Link } from '../layout/router';
import { Shell } from '../layout/Shell';
import { Viewer } from '../viewer/Viewer';

/** One album: a plain grid (albums are small next to the timeline); remove photos from it. */
export function AlbumPage({ id }: { id: string }) {
  const [album, setAlbum] = useState<Album | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  const load = () => {
    albums.get(id).then(setAlbum, (err: unknown) => {
      setError(describeError(err));
    });
  };
  useEffect(load, [id]);

  const remove = async (assetId: string) => {
    try {
      await albums.removeAssets(id, [assetId]);
      load();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Shell title={album?.title ?? 'Album'}>
      <div className="page">
        <p>
          <Link to="/albums">← All albums</Link>
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {!album && !error && <p>Loading album…</p>}
        {album?.description && <p>{album.description}</p>}
        {album?.assetIds.length === 0 && (
          <p>This album is empty: select photos in the timeline and add them.</p>
        )}
        <ul className="album-assets">
          {album?.assetIds.map((assetId) => (
            <li key={assetId}>
              <button
                type="button"
                className="album-open"
                aria-label="Open photo"
                onClick={() => {
                  setOpenId(assetId);
                }}
              >
                <img src={assets.thumbnailUrl(assetId)} alt="" loading="lazy" />
              </button>
              <button
                type="button"
                className="icon-button small"
                aria-label="Remove from album"
                onClick={() => void remove(assetId)}
              >
                <CloseIcon />
              </button>
            </li>
          ))}
        </ul>
      </div>
      {openId && album && (
        <Viewer
          ids={album.assetIds}
          id={openId}
          view="timeline"
          onNavigate={setOpenId}
          onClose={() => {
            setOpenId(null);
          }}
          onChanged={load}
        />
      )}
    </Shell>
  );
}
