import { useEffect, useRef, useState } from 'react';
import type { PublicAsset } from '../api/types';
import { CloseIcon, DownloadIcon } from '../layout/icons';
import { placeholderUrl } from '../timeline/thumbhash';
import { InfoToggle, ViewerNav } from '../viewer/ViewerControls';
import { assetLabel } from './PublicGrid';
import type { LinkApi } from './publicApi';

/** A simple full-screen viewer for a link's visitor: preview, previous/next, Esc, download. */
export function PublicViewer({
  assets,
  index,
  api,
  allowDownload,
  onNavigate,
  onClose,
  onError,
}: {
  assets: PublicAsset[];
  index: number;
  api: LinkApi;
  allowDownload: boolean;
  onNavigate: (index: number) => void;
  onClose: () => void;
  /** The picture failed to load: the link may have stopped working. */
  onError: (id: string) => void;
}) {
  const dialog = useRef<HTMLDivElement>(null);
  const asset = assets[index];
  const [showInfo, setShowInfo] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const hasPrev = index > 0;
  const hasNext = index < assets.length - 1;

  useEffect(() => {
    dialog.current?.focus();
  }, []);
  useEffect(() => {
    setLoaded(false);
  }, [index]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'ArrowLeft' && hasPrev) onNavigate(index - 1);
      else if (event.key === 'ArrowRight' && hasNext) onNavigate(index + 1);
      else if (event.key === 'Escape') onClose();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [index, hasPrev, hasNext, onNavigate, onClose]);

  if (!asset) return null;
  const label = assetLabel(asset, index);
  const meta = asset.metadata;
  const placeholder = placeholderUrl(asset.thumbhash);

  return (
    <div
      className="viewer public-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={`${label} (${index + 1} of ${assets.length})`}
      tabIndex={-1}
      ref={dialog}
    >
      <div className="viewer-main">
        <div className="viewer-bar">
          <button type="button" className="icon-button" aria-label="Close viewer" onClick={onClose}>
            <CloseIcon />
          </button>
          <span className="viewer-count">
            {index + 1} / {assets.length}
          </span>
          <span className="spacer" />
          {allowDownload && (
            <a
              className="icon-button"
              href={api.originalUrl(asset.id)}
              download
              aria-label="Download this photo"
              title="Download this photo"
            >
              <DownloadIcon />
            </a>
          )}
          {meta && (
            <InfoToggle
              shown={showInfo}
              onToggle={() => {
                setShowInfo(!showInfo);
              }}
            />
          )}
        </div>
        <div className="viewer-media">
          {asset.type === 'video' ? (
            <video
              key={asset.id}
              className="viewer-video"
              src={api.fullSizeUrl(asset.id)}
              poster={api.previewUrl(asset.id)}
              controls
              playsInline
              aria-label={label}
              onError={() => {
                onError(asset.id);
              }}
            />
          ) : (
            <img
              key={asset.id}
              className="viewer-image"
              src={api.previewUrl(asset.id)}
              alt={meta?.description ?? label}
              draggable={false}
              onLoad={() => {
                setLoaded(true);
              }}
              onError={() => {
                onError(asset.id);
              }}
              style={{
                backgroundImage: !loaded && placeholder ? `url("${placeholder}")` : undefined,
              }}
            />
          )}
        </div>
        <ViewerNav
          onPrevious={
            hasPrev
              ? () => {
                  onNavigate(index - 1);
                }
              : null
          }
          onNext={
            hasNext
              ? () => {
                  onNavigate(index + 1);
                }
              : null
          }
        />
      </div>
      {showInfo && meta && (
        <aside className="info-panel" aria-label="Info">
          <header>
            <h2>Info</h2>
            <button
              type="button"
              className="icon-button"
              aria-label="Close info"
              onClick={() => {
                setShowInfo(false);
              }}
            >
              <CloseIcon />
            </button>
          </header>
          <dl>
            <InfoRow label="File" value={meta.originalFileName} />
            <InfoRow label="Taken" value={asset.localDateTime.replace('T', ' ').slice(0, 19)} />
            <InfoRow label="Camera" value={[meta.make, meta.model].filter((p) => p).join(' ')} />
            <InfoRow label="Lens" value={meta.lensModel} />
            <InfoRow
              label="Place"
              value={
                meta.latitude !== null && meta.longitude !== null
                  ? `${meta.latitude.toFixed(5)}, ${meta.longitude.toFixed(5)}`
                  : null
              }
            />
            <InfoRow label="Description" value={meta.description} />
          </dl>
        </aside>
      )}
    </div>
  );
}

function InfoRow({ label, value }: { label: string; value: string | null }) {
  if (!value) return null;
  return (
    <div className="info-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
