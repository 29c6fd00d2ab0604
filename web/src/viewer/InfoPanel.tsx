import { useState } from 'react';
import { describeError } from '../api/client';
import { assets } from '../api/endpoints';
import type { Asset } from '../api/types';
import { CloseIcon, HeartIcon } from '../layout/icons';
import { dayLabel, formatBytes, timeLabel } from '../timeline/dates';
import { FormError } from '../layout/FormError';

function exposure(asset: Asset): string | null {
  const parts = [
    asset.exposureTime ? `${asset.exposureTime} s` : null,
    asset.fNumber !== null ? `ƒ/${asset.fNumber}` : null,
    asset.focalLength !== null ? `${asset.focalLength} mm` : null,
    asset.iso !== null ? `ISO ${asset.iso}` : null,
  ].filter((p) => p !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}

function Row({ label, value }: { label: string; value: string | null }) {
  if (value === null || value === '') return null;
  return (
    <div className="info-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Everything we know about the asset; the description can be edited in place. */
export function InfoPanel({
  asset,
  onUpdated,
  onToggleFavorite,
  onClose,
  readOnly = false,
}: {
  asset: Asset;
  onUpdated: (asset: Asset) => void;
  onToggleFavorite: () => void;
  onClose: () => void;
  /** Someone else's photo: nothing to edit. */
  readOnly?: boolean;
}) {
  const [description, setDescription] = useState(asset.description ?? '');
  const [saving, setSaving] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    if (description === (asset.description ?? '')) return;
    setSaving('saving');
    setError(null);
    try {
      onUpdated(await assets.update(asset.id, { description }));
      setSaving('saved');
    } catch (err) {
      setError(describeError(err));
      setSaving('idle');
    }
  };

  const camera = [asset.make, asset.model].filter((p) => p).join(' ') || null;
  const place =
    asset.latitude !== null && asset.longitude !== null
      ? `${asset.latitude.toFixed(5)}, ${asset.longitude.toFixed(5)}`
      : null;
  const dimensions =
    asset.width !== null && asset.height !== null ? `${asset.width} × ${asset.height}` : null;

  return (
    <aside className="info-panel" aria-label="Info">
      <header>
        <h2>Info</h2>
        <button type="button" className="icon-button" aria-label="Close info" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      {readOnly ? (
        asset.description && <p className="info-description">{asset.description}</p>
      ) : (
        <label className="info-description">
          Description
          <textarea
            value={description}
            rows={3}
            placeholder="Add a description"
            onChange={(e) => {
              setDescription(e.target.value);
              setSaving('idle');
            }}
            onBlur={() => void save()}
          />
        </label>
      )}
      {saving !== 'idle' && (
        <p className="info-saved">{saving === 'saving' ? 'Saving…' : 'Saved'}</p>
      )}
      <FormError error={error} />
      <dl>
        <Row label="Date" value={dayLabel(asset.localDateTime.slice(0, 10))} />
        <Row label="Time" value={timeLabel(asset.localDateTime, asset.utcOffsetMinutes)} />
        <Row label="Place" value={place} />
        <Row label="Camera" value={camera} />
        <Row label="Lens" value={asset.lensModel} />
        <Row label="Exposure" value={exposure(asset)} />
        <Row label="Dimensions" value={dimensions} />
        <Row label="Size" value={formatBytes(asset.fileSize)} />
        <Row label="File" value={asset.originalFileName} />
        {asset.status !== 'ready' && (
          <Row
            label="Status"
            value={
              asset.status === 'processing'
                ? 'Still being processed'
                : (asset.error ?? 'Unreadable')
            }
          />
        )}
      </dl>
      {!readOnly && (
        <button
          type="button"
          className="secondary"
          aria-pressed={asset.isFavorite}
          onClick={onToggleFavorite}
        >
          <HeartIcon filled={asset.isFavorite} />{' '}
          {asset.isFavorite ? 'Favourite' : 'Not a favourite'}
        </button>
      )}
    </aside>
  );
}
