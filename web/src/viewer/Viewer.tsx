import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/client';
import { assets } from '../api/endpoints';
import type { Asset, View } from '../api/types';
import { CloseIcon, DownloadIcon, HeartIcon, RestoreIcon, TrashIcon } from '../layout/icons';
import { InfoPanel } from './InfoPanel';
import type { LiveControl } from './LivePhoto';
import { Media } from './Media';
import { InfoToggle, ViewerNav } from './ViewerControls';

export type ViewerChange = 'remove' | { favorite: boolean } | 'none';

interface ViewerProps {
  ids: string[];
  id: string;
  view: View;
  onNavigate: (id: string) => void;
  onClose: () => void;
  onChanged: (ids: string[], change: ViewerChange) => void;
  /** Someone else's photos (a shared album): no favourite, no trash. */
  readOnly?: boolean;
}

/**
 * Full-screen view of one asset, with previous/next, zoom, video, live photos' motion and the
 * info panel.
 */
export function Viewer({
  ids,
  id,
  view,
  onNavigate,
  onClose,
  onChanged,
  readOnly = false,
}: ViewerProps) {
  const [asset, setAsset] = useState<Asset | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showInfo, setShowInfo] = useState(() => window.innerWidth > 900);
  const dialog = useRef<HTMLDivElement>(null);
  const live = useRef<LiveControl>(null);
  const index = ids.indexOf(id);
  const prevId = index > 0 ? ids[index - 1] : undefined;
  const nextId = index >= 0 ? ids[index + 1] : undefined;

  useEffect(() => {
    let live = true;
    setError(null);
    assets.get(id).then(
      (a) => {
        if (live) setAsset(a);
      },
      (err: unknown) => {
        if (live) setError(describeError(err));
      },
    );
    return () => {
      live = false;
    };
  }, [id]);

  // Closed while a request was under way: its answer must not reopen the viewer.
  const open = useRef(true);
  useEffect(() => {
    dialog.current?.focus();
    open.current = true;
    return () => {
      open.current = false;
    };
  }, []);

  const toggleFavorite = useCallback(async () => {
    if (!asset) return;
    try {
      const updated = await assets.update(asset.id, { isFavorite: !asset.isFavorite });
      setAsset(updated);
      onChanged([asset.id], { favorite: updated.isFavorite });
    } catch (err) {
      setError(describeError(err));
    }
  }, [asset, onChanged]);

  const moveOut = useCallback(async () => {
    if (!asset) return;
    try {
      if (view === 'trash') await assets.restore([asset.id]);
      else await assets.trash([asset.id]);
      onChanged([asset.id], 'remove');
      if (!open.current) return;
      const following = nextId ?? prevId;
      if (following) onNavigate(following);
      else onClose();
    } catch (err) {
      setError(describeError(err));
    }
  }, [asset, view, nextId, prevId, onChanged, onNavigate, onClose]);

  // The keys: ← and → previous and next, Esc closes, F favourite, I info, Delete to the trash
  // (or restore from it), L plays a live photo's motion (and stops it).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement) {
        return;
      }
      const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
      if (event.key === 'ArrowLeft' && prevId) onNavigate(prevId);
      else if (event.key === 'ArrowRight' && nextId) onNavigate(nextId);
      else if (event.key === 'Escape') onClose();
      else if (event.key === 'f' && !readOnly) void toggleFavorite();
      else if (event.key === 'i') setShowInfo((s) => !s);
      else if (event.key === 'Delete' && !readOnly) void moveOut();
      else if (event.key === 'l' && plain) {
        if (!live.current?.toggle()) return; // not a live photo: the key is not ours
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [prevId, nextId, onNavigate, onClose, toggleFavorite, moveOut, readOnly]);

  const current = asset?.id === id ? asset : null;
  return (
    <div
      className="viewer"
      role="dialog"
      aria-modal="true"
      aria-label={current ? current.originalFileName : 'Photo'}
      tabIndex={-1}
      ref={dialog}
    >
      <div className="viewer-main">
        <div className="viewer-bar">
          <button type="button" className="icon-button" aria-label="Close viewer" onClick={onClose}>
            <CloseIcon />
          </button>
          <span className="spacer" />
          {current && (
            <>
              {!readOnly && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={current.isFavorite ? 'Remove from favourites' : 'Add to favourites'}
                  aria-pressed={current.isFavorite}
                  onClick={() => void toggleFavorite()}
                >
                  <HeartIcon filled={current.isFavorite} />
                </button>
              )}
              <a
                className="icon-button"
                href={assets.originalUrl(current.id)}
                download
                aria-label="Download original"
              >
                <DownloadIcon />
              </a>
              {!readOnly && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={view === 'trash' ? 'Restore from trash' : 'Move to trash'}
                  onClick={() => void moveOut()}
                >
                  {view === 'trash' ? <RestoreIcon /> : <TrashIcon />}
                </button>
              )}
            </>
          )}
          <InfoToggle
            shown={showInfo}
            onToggle={() => {
              setShowInfo(!showInfo);
            }}
          />
        </div>
        {error && (
          <p className="viewer-error" role="alert">
            {error}
          </p>
        )}
        {current ? (
          <Media
            key={current.id}
            asset={current}
            liveControl={live}
            onSwipe={(direction) => {
              const target = direction === 'left' ? nextId : prevId;
              if (target) onNavigate(target);
            }}
          />
        ) : (
          !error && <p className="viewer-loading">Loading…</p>
        )}
        <ViewerNav
          onPrevious={
            prevId
              ? () => {
                  onNavigate(prevId);
                }
              : null
          }
          onNext={
            nextId
              ? () => {
                  onNavigate(nextId);
                }
              : null
          }
        />
      </div>
      {showInfo && current && (
        <InfoPanel
          asset={current}
          readOnly={readOnly}
          onUpdated={setAsset}
          onToggleFavorite={() => void toggleFavorite()}
          onClose={() => {
            setShowInfo(false);
          }}
        />
      )}
    </div>
  );
}
