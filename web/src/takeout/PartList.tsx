import type { TakeoutPart } from './api';
import { formatBytes } from '../timeline/dates';
import { plural } from './words';

export type RowState = 'waiting' | 'uploading' | 'uploaded' | 'failed';

/** A part the user chose, as this page uploads it. */
export interface PartRow {
  key: string;
  name: string;
  size: number;
  sent: number;
  state: RowState;
  message: string | null;
}

const rowText: Record<RowState, string> = {
  waiting: 'Waiting',
  uploading: 'Uploading',
  uploaded: 'Uploaded',
  failed: 'Not uploaded',
};

/** The parts of the import being prepared: those uploaded earlier and those being sent now. */
export function PartList({
  earlierParts,
  rows,
  uploading,
  sent,
  total,
  failedRows,
  canRetry,
  onRetry,
}: {
  earlierParts: readonly TakeoutPart[];
  rows: readonly PartRow[];
  uploading: boolean;
  sent: number;
  total: number;
  failedRows: number;
  canRetry: (key: string) => boolean;
  onRetry: (key: string) => void;
}) {
  return (
    <>
      {rows.length > 0 && (
        <>
          <p className="takeout-hint" role="status">
            {uploading
              ? `Uploading: ${formatBytes(sent)} of ${formatBytes(total)}. Keep this page open; if it closes, choose the same files again to continue.`
              : failedRows > 0
                ? `${plural(failedRows, 'part was', 'parts were')} not uploaded.`
                : `${plural(rows.length, 'part')} uploaded.`}
          </p>
          <progress
            aria-label="Upload of all parts"
            max={Math.max(total, 1)}
            value={total > 0 ? sent : 1}
          />
        </>
      )}
      <ul className="takeout-parts" aria-label="Parts to upload">
        {earlierParts.map((part) => (
          <li key={part.id} className="takeout-part uploaded">
            <div className="takeout-part-row">
              <span className="takeout-part-name" title={part.fileName}>
                {part.fileName}
              </span>
              <span className="takeout-part-state">
                {formatBytes(part.size)} · Uploaded earlier
              </span>
            </div>
          </li>
        ))}
        {rows.map((row) => (
          <li key={row.key} className={`takeout-part ${row.state}`} data-state={row.state}>
            <div className="takeout-part-row">
              <span className="takeout-part-name" title={row.name}>
                {row.name}
              </span>
              <span className="takeout-part-state">
                {row.state === 'uploading'
                  ? `${formatBytes(row.sent)} / ${formatBytes(row.size)}`
                  : `${formatBytes(row.size)} · ${row.message ?? rowText[row.state]}`}
              </span>
              {row.state === 'failed' && canRetry(row.key) && (
                <button
                  type="button"
                  className="secondary small"
                  onClick={() => {
                    onRetry(row.key);
                  }}
                >
                  Retry
                </button>
              )}
            </div>
            <progress
              aria-label={`Upload of ${row.name}`}
              max={Math.max(row.size, 1)}
              value={row.state === 'uploaded' ? Math.max(row.size, 1) : row.sent}
            />
            {row.state === 'failed' && row.message && (
              <p className="takeout-part-message" role="alert">
                {row.message}
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
