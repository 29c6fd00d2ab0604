import { useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { albums } from '../api/endpoints';
import type { Album } from '../api/types';
import { Dialog } from '../layout/Dialog';
import { FormError } from '../layout/FormError';

/** The owner renames and describes the album, chooses its order, or deletes it (not its photos). */
export function EditAlbumDialog({
  album,
  onClose,
  onDeleted,
}: {
  album: Album;
  onClose: (changed: boolean) => void;
  onDeleted: () => void;
}) {
  const [title, setTitle] = useState(album.title);
  const [description, setDescription] = useState(album.description ?? '');
  const [sortOrder, setSortOrder] = useState(album.sortOrder);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    try {
      await albums.update(album.id, {
        title: title.trim(),
        description: description.trim() === '' ? null : description,
        sortOrder,
      });
      onClose(true);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  const remove = async () => {
    const name = album.title || 'this untitled album';
    if (!window.confirm(`Delete “${name}”? The photos stay in your library.`)) return;
    setBusy(true);
    try {
      await albums.remove(album.id);
      onDeleted();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Edit album"
      onClose={() => {
        onClose(false);
      }}
    >
      <form className="stack-form" onSubmit={(event) => void save(event)}>
        <label>
          Title
          <input
            value={title}
            maxLength={200}
            onChange={(event) => {
              setTitle(event.target.value);
            }}
          />
        </label>
        <label>
          Description
          <textarea
            value={description}
            rows={3}
            onChange={(event) => {
              setDescription(event.target.value);
            }}
          />
        </label>
        <label>
          Order
          <select
            value={sortOrder}
            onChange={(event) => {
              setSortOrder(event.target.value === 'asc' ? 'asc' : 'desc');
            }}
          >
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </label>
        <FormError error={error} />
        <div className="dialog-actions">
          <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
            Delete album
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
