import { useEffect, useState } from 'react';
import { describeError } from '../api/client';
import { albums, assets, timeline } from '../api/endpoints';
import { CheckIcon } from '../layout/icons';
import { Dialog } from '../layout/Dialog';
import { FormError } from '../layout/FormError';

/** How many of the newest photos the picker offers (older ones: select them in the timeline). */
const pickLimit = 600;

/** Picks photos from the user's own timeline and adds them to the album. */
export function AddPhotosDialog({
  albumId,
  inAlbum,
  onClose,
}: {
  albumId: string;
  inAlbum: string[];
  onClose: (added: boolean) => void;
}) {
  const [items, setItems] = useState<{ id: string; date: string }[] | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const run = { live: true };
    const skip = new Set(inAlbum);
    void (async () => {
      try {
        const found: { id: string; date: string }[] = [];
        for (const bucket of await timeline.buckets('timeline')) {
          const page = await timeline.bucket(bucket.bucket, 'timeline');
          page.ids.forEach((id, i) => {
            if (!skip.has(id)) found.push({ id, date: page.localDateTimes[i] ?? '' });
          });
          if (found.length >= pickLimit) break;
        }
        if (run.live) setItems(found.slice(0, pickLimit));
      } catch (err) {
        if (run.live) setError(describeError(err));
      }
    })();
    return () => {
      run.live = false;
    };
  }, [inAlbum]);

  const toggle = (id: string) => {
    setChosen((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await albums.addAssets(albumId, [...chosen]);
      onClose(true);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Add photos"
      onClose={() => {
        onClose(false);
      }}
      wide
    >
      {items === null && !error && <p>Loading your photos…</p>}
      {items?.length === 0 && <p>All your photos are in this album already.</p>}
      {items && items.length > 0 && (
        <ul className="photo-pick" aria-label="Your photos">
          {items.map((item) => {
            const on = chosen.has(item.id);
            return (
              <li key={item.id}>
                <button
                  type="button"
                  className={on ? 'on' : undefined}
                  aria-pressed={on}
                  aria-label={`Photo of ${item.date.replace('T', ' ')}`}
                  onClick={() => {
                    toggle(item.id);
                  }}
                >
                  <img src={assets.thumbnailUrl(item.id)} alt="" loading="lazy" />
                  {on && (
                    <span className="photo-pick-check">
                      <CheckIcon />
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <FormError error={error} />
      <div className="dialog-actions">
        <span className="spacer" />
        <button
          type="button"
          className="secondary"
          onClick={() => {
            onClose(false);
          }}
        >
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || chosen.size === 0}
          onClick={() => void add()}
        >
          Add {chosen.size > 0 ? chosen.size : ''} to the album
        </button>
      </div>
    </Dialog>
  );
}
