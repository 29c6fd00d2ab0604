import { useEffect, useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { field } from '../api/form';
import { albums, assets } from '../api/endpoints';
import type { AlbumSummary } from '../api/types';
import { AlbumIcon } from '../layout/icons';
import { Link } from '../layout/router';
import { Shell } from '../layout/Shell';

export function AlbumsPage() {
  const [list, setList] = useState<AlbumSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    albums.list().then(setList, (err: unknown) => {
      setError(describeError(err));
    });
  };
  useEffect(load, []);

  const create = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const title = field(new FormData(form), 'title').trim();
    if (!title) return;
    setError(null);
    try {
      await albums.create(title);
      form.reset();
      load();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Shell title="Albums">
      <div className="page">
        <form className="inline-form" onSubmit={(e) => void create(e)}>
          <input name="title" placeholder="New album title" aria-label="New album title" required />
          <button type="submit" className="primary">
            Create album
          </button>
        </form>
        {error && (
          <p className="form-error" role="alert">
            Albums: {error}
          </p>
        )}
        {list === null && !error && <p>Loading albums…</p>}
        {list?.length === 0 && (
          <p>No albums yet. Create one, or select photos and add them to one.</p>
        )}
        <ul className="album-grid">
          {list?.map((album) => (
            <li key={album.id}>
              <Link to={`/albums/${album.id}`} className="album-card">
                <span className="album-cover">
                  {album.coverAssetId ? (
                    <img src={assets.thumbnailUrl(album.coverAssetId)} alt="" />
                  ) : (
                    <AlbumIcon />
                  )}
                </span>
                <strong>{album.title || 'Untitled album'}</strong>
                <small>
                  {album.assetCount} item{album.assetCount === 1 ? '' : 's'}
                  {album.startDate ? ` · ${album.startDate.slice(0, 10)}` : ''}
                </small>
                {album.role !== 'owner' ? (
                  <small className="album-shared">
                    Shared by {album.ownerName} · {album.role === 'editor' ? 'Editor' : 'Viewer'}
                  </small>
                ) : (
                  album.memberCount > 0 && (
                    <small className="album-shared">
                      Shared with {album.memberCount}{' '}
                      {album.memberCount === 1 ? 'person' : 'people'}
                    </small>
                  )
                )}
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </Shell>
  );
}
