import { useRef, useState } from 'react';
import { formatBytes } from '../timeline/dates';
import { CloseIcon, UploadIcon } from '../layout/icons';
import { useUploads, type UploadItem } from './UploadContext';

const statusText: Record<UploadItem['status'], string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  created: 'Uploaded',
  duplicate: 'Duplicate',
  error: 'Failed',
};

/** The Upload button (files or a whole folder) and its hidden file inputs. */
export function UploadButton() {
  const { add } = useUploads();
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const pick = (input: HTMLInputElement | null) => {
    if (!input?.files) return;
    add(Array.from(input.files));
    input.value = '';
  };
  return (
    <div className="upload-buttons">
      <button
        type="button"
        className="primary"
        aria-label="Upload"
        onClick={() => files.current?.click()}
      >
        <UploadIcon /> <span className="label">Upload</span>
      </button>
      <button
        type="button"
        className="secondary hide-small"
        onClick={() => folder.current?.click()}
      >
        Folder
      </button>
      <input
        ref={files}
        type="file"
        multiple
        hidden
        accept="image/*,video/*,.heic,.heif,.dng,.nef,.cr2,.cr3,.arw"
        aria-label="Choose files to upload"
        data-testid="upload-input"
        onChange={(e) => {
          pick(e.currentTarget);
        }}
      />
      <input
        ref={(el) => {
          folder.current = el;
          el?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        multiple
        hidden
        aria-label="Choose a folder to upload"
        onChange={(e) => {
          pick(e.currentTarget);
        }}
      />
    </div>
  );
}

/**
 * The rows worth showing when thousands of files are queued: what is moving, what went wrong,
 * the next few waiting and the last few done (a list of every file would slow the page down).
 */
function listed(items: UploadItem[]): UploadItem[] {
  if (items.length <= 60) return items;
  const keep = new Set<UploadItem>();
  const add = (list: UploadItem[]) => {
    for (const item of list) keep.add(item);
  };
  add(items.filter((i) => i.status === 'uploading'));
  add(items.filter((i) => i.status === 'error').slice(0, 100));
  add(items.filter((i) => i.status === 'duplicate').slice(-20));
  add(items.filter((i) => i.status === 'queued').slice(0, 10));
  add(items.filter((i) => i.status === 'created').slice(-20));
  return items.filter((i) => keep.has(i));
}

export function UploadPanel() {
  const { items, cancel, clearFinished } = useUploads();
  const [collapsed, setCollapsed] = useState(false);
  if (items.length === 0) return null;

  const total = items.reduce((sum, i) => sum + i.size, 0);
  const sent = items.reduce((sum, i) => sum + Math.min(i.sent, i.size), 0);
  const active = items.filter((i) => i.status === 'queued' || i.status === 'uploading').length;
  const failed = items.filter((i) => i.status === 'error').length;
  const duplicates = items.filter((i) => i.status === 'duplicate').length;
  const shown = listed(items);
  const percent = total > 0 ? Math.round((sent / total) * 100) : 100;
  const summary =
    active > 0
      ? `Uploading ${items.length - active + 1} of ${items.length} (${percent}%)`
      : `${items.length - failed - duplicates} uploaded` +
        (duplicates ? `, ${duplicates} duplicate${duplicates > 1 ? 's' : ''}` : '') +
        (failed ? `, ${failed} failed` : '');

  return (
    <section className="upload-panel" aria-label="Uploads">
      <header>
        <button
          type="button"
          className="link"
          aria-expanded={!collapsed}
          onClick={() => {
            setCollapsed(!collapsed);
          }}
        >
          <strong role="status">{summary}</strong>
        </button>
        {active === 0 && (
          <button
            type="button"
            className="icon-button"
            aria-label="Close uploads"
            onClick={clearFinished}
          >
            <CloseIcon />
          </button>
        )}
      </header>
      <progress max={100} value={percent} aria-label="Overall upload progress" />
      {!collapsed && (
        <ul>
          {shown.map((item) => (
            <li key={item.key} className={`upload-item ${item.status}`} data-status={item.status}>
              <div className="upload-row">
                <span className="upload-name" title={item.name}>
                  {item.name}
                </span>
                <span className="upload-state">
                  {item.status === 'uploading'
                    ? `${formatBytes(item.sent)} / ${formatBytes(item.size)}`
                    : statusText[item.status]}
                </span>
                {(item.status === 'queued' || item.status === 'uploading') && (
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Cancel ${item.name}`}
                    onClick={() => {
                      cancel(item.key);
                    }}
                  >
                    <CloseIcon />
                  </button>
                )}
              </div>
              {item.status === 'uploading' && (
                <progress
                  max={item.size}
                  value={item.sent}
                  aria-label={`Progress of ${item.name}`}
                />
              )}
              {item.message && <p className="upload-message">{item.message}</p>}
            </li>
          ))}
          {shown.length < items.length && (
            <li className="upload-item more">
              and {items.length - shown.length} more ({formatBytes(sent)} of {formatBytes(total)}{' '}
              sent)
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
