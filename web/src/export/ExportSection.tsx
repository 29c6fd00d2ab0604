import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api/client';
import { FormError } from '../layout/FormError';
import { formatBytes } from '../timeline/dates';
import { dataExports, isPreparing, type DataExport } from './api';
import './export.css';

const pollMs = 1500;

const formatDate = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** One export: its progress while it is made, then its parts to download. */
function ExportItem({
  item,
  busy,
  onDelete,
}: {
  item: DataExport;
  busy: boolean;
  onDelete: (id: string) => void;
}) {
  const { assets, assetsDone } = item.progress;
  return (
    <li className={`export-item ${item.status}`} data-export-id={item.id}>
      <div className="export-item-head">
        <span className="export-item-title">Export of {formatDate(item.createdAt)}</span>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          aria-label={`Delete the export of ${formatDate(item.createdAt)}`}
          onClick={() => {
            onDelete(item.id);
          }}
        >
          Delete
        </button>
      </div>
      {isPreparing(item) && (
        <>
          <p role="status">
            Preparing: {assetsDone.toLocaleString()} of{' '}
            {plural(assets, 'photo or video', 'photos and videos')}
          </p>
          <progress aria-label="Export progress" max={Math.max(assets, 1)} value={assetsDone} />
        </>
      )}
      {item.status === 'failed' && (
        <FormError
          error={`This export failed: ${item.error ?? 'unknown error'}. Delete it and start again.`}
        />
      )}
      {item.status === 'ready' && (
        <>
          <p role="status">
            Ready: {plural(item.parts.length, 'zip file', 'zip files')},{' '}
            {formatBytes(item.totalBytes ?? 0)} in all. Kept until {formatDate(item.expiresAt)}.
          </p>
          <ul className="export-parts" aria-label="Parts of the export">
            {item.parts.map((part) => (
              <li key={part.number}>
                <a href={part.url} download={part.fileName}>
                  {part.fileName}
                </a>
                <span className="export-part-size">{formatBytes(part.size)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

/**
 * "Export my data": starts a full export of the library (originals and everything held about
 * them), follows it while the server prepares it, then lists its zip files to download.
 */
export function ExportSection() {
  const [items, setItems] = useState<DataExport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems(await dataExports.list());
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const preparing = items?.some(isPreparing) ?? false;
  useEffect(() => {
    if (!preparing) return;
    const timer = window.setInterval(() => void load(), pollMs);
    return () => {
      window.clearInterval(timer);
    };
  }, [preparing, load]);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await load();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="account-card export-section" aria-labelledby="export-heading">
      <h2 id="export-heading">Export my data</h2>
      <p>
        Download everything this server holds about you: every photo and video exactly as you
        uploaded it, and beside each a .json file with all its details (dates, places, descriptions,
        favourites, archive and trash, albums) and an .xmp file that other photo programs read; your
        account, albums and share links with their use log; and an index.html page to look through
        it all offline.
      </p>
      <p className="account-hint">
        Large libraries come as several zip files: extract them all into one folder. A download that
        stops can be resumed. From a terminal:{' '}
        <code>
          npx pixelunion export --server {window.location.origin} --api-key KEY --out folder
        </code>
      </p>
      <div>
        <button
          type="button"
          className="primary"
          disabled={busy || preparing}
          onClick={() => void act(() => dataExports.start())}
        >
          {preparing ? 'Preparing your export…' : 'Export my data'}
        </button>
      </div>
      {items === null && !error && <p>Loading…</p>}
      {items && items.length > 0 && (
        <ul className="export-list" aria-label="Your exports">
          {items.map((item) => (
            <ExportItem
              key={item.id}
              item={item}
              busy={busy}
              onDelete={(id) => void act(() => dataExports.remove(id))}
            />
          ))}
        </ul>
      )}
      <FormError error={error} />
    </section>
  );
}
