import { useEffect, useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { field } from '../api/form';
import { albums } from '../api/endpoints';
import type { AlbumSummary } from '../api/types';
import { Dialog } from '../layout/Dialog';
import { FormError } from '../layout/FormError';

/** Picks an album (or creates one) and adds the selected assets to it. */
export function AddToAlbumDialog({
  ids,
  onClose,
}: {
  ids: string[];
  onClose: (added: boolean) => void;
}) {
  const [list, setList] = useState<AlbumSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    // Only albums the user may add to: their own, and those shared with them as editor.
    albums.list().then(
      (all) => {
        setList(all.filter((a) => a.role !== 'viewer'));
      },
      (err: unknown) => {
        setError(describeError(err));
      },
    );
  }, []);

  const add = async (albumId: string, title: string) => {
    setError(null);
    try {
      const { added } = await albums.addAssets(albumId, ids);
      setDone(`Added ${added} to “${title}”.`);
      setTimeout(() => {
        onClose(true);
      }, 800);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const create = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const title = field(new FormData(event.currentTarget), 'title').trim();
    if (!title) return;
    try {
      const album = await albums.create(title);
      await add(album.id, title);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Dialog
      title={`Add ${ids.length} to an album`}
      onClose={() => {
        onClose(false);
      }}
    >
      {list === null && !error && <p>Loading albums…</p>}
      {list && list.length === 0 && <p>No albums yet: create one below.</p>}
      {list && (
        <ul className="album-pick">
          {list.map((a) => (
            <li key={a.id}>
              <button type="button" onClick={() => void add(a.id, a.title)}>
                {a.title} <small>({a.assetCount})</small>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={(e) => void create(e)}>
        <input name="title" placeholder="New album title" aria-label="New album title" />
        <button type="submit">Create and add</button>
      </form>
      {done && <p role="status">{done}</p>}
      <FormError error={error} />
    </Dialog>
  );
}
