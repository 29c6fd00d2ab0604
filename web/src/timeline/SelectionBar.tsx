import { useState } from 'react';
import { describeError } from '../api/client';
import { assets, downloadMany } from '../api/endpoints';
import type { View } from '../api/types';
import { AddToAlbumDialog } from '../albums/AddToAlbumDialog';
import { ShareDialog } from '../shares/ShareDialog';
import {
  AlbumIcon,
  ArchiveIcon,
  CloseIcon,
  DownloadIcon,
  HeartIcon,
  LinkIcon,
  RestoreIcon,
  TrashIcon,
} from '../layout/icons';

export type BulkChange = 'remove' | { favorite: boolean } | 'none';

interface SelectionBarProps {
  view: View;
  ids: string[];
  /** Every selected asset is a favourite already: the heart takes them out instead. */
  allFavorite: boolean;
  onClear: () => void;
  onChanged: (ids: string[], change: BulkChange) => void;
}

export function SelectionBar({ view, ids, allFavorite, onClear, onChanged }: SelectionBarProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [albumDialog, setAlbumDialog] = useState(false);
  const [shareDialog, setShareDialog] = useState(false);

  const run = async (action: () => Promise<unknown>, change: BulkChange) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged(ids, change);
      onClear();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const button = (label: string, icon: React.ReactNode, onClick: () => void) => (
    <button
      type="button"
      className="icon-button"
      aria-label={label}
      title={label}
      disabled={busy}
      onClick={onClick}
    >
      {icon}
    </button>
  );

  return (
    <div className="selection-bar" role="toolbar" aria-label="Selection actions">
      {button('Clear selection', <CloseIcon />, onClear)}
      <span className="selection-count">{ids.length} selected</span>
      <span className="spacer" />
      {view === 'trash' ? (
        <>
          {button('Restore', <RestoreIcon />, () => void run(() => assets.restore(ids), 'remove'))}
          {button('Delete for good', <TrashIcon />, () => {
            if (window.confirm(`Delete ${ids.length} item(s) for good? This cannot be undone.`)) {
              void run(() => assets.deleteForGood(ids), 'remove');
            }
          })}
        </>
      ) : (
        <>
          {view === 'favorites' || allFavorite
            ? button(
                'Remove from favourites',
                <HeartIcon />,
                () =>
                  void run(
                    () => assets.updateMany(ids, { isFavorite: false }),
                    view === 'favorites' ? 'remove' : { favorite: false },
                  ),
              )
            : button(
                'Favourite',
                <HeartIcon filled />,
                () =>
                  void run(() => assets.updateMany(ids, { isFavorite: true }), { favorite: true }),
              )}
          {button(
            view === 'archive' ? 'Unarchive' : 'Archive',
            <ArchiveIcon />,
            () =>
              void run(
                () => assets.updateMany(ids, { isArchived: view !== 'archive' }),
                view === 'favorites' ? 'none' : 'remove',
              ),
          )}
          {button('Download', <DownloadIcon />, () => {
            downloadMany(ids);
          })}
          {button('Add to album', <AlbumIcon />, () => {
            setAlbumDialog(true);
          })}
          {button('Share link', <LinkIcon />, () => {
            setShareDialog(true);
          })}
          {button(
            'Move to trash',
            <TrashIcon />,
            () => void run(() => assets.trash(ids), 'remove'),
          )}
        </>
      )}
      {error && (
        <p className="selection-error" role="alert">
          {error}
        </p>
      )}
      {shareDialog && (
        <ShareDialog
          target={{ assetIds: ids }}
          onClose={() => {
            setShareDialog(false);
          }}
        />
      )}
      {albumDialog && (
        <AddToAlbumDialog
          ids={ids}
          onClose={(added) => {
            setAlbumDialog(false);
            if (added) onClear();
          }}
        />
      )}
    </div>
  );
}
