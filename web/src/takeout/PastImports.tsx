import type { TakeoutImport } from './api';
import { plural, statusText, when } from './words';

/** Earlier imports, newest first, each to show again (or continue, while still uploading). */
export function PastImports({
  past,
  disabled,
  onShow,
}: {
  past: readonly TakeoutImport[];
  disabled: boolean;
  onShow: (item: TakeoutImport) => void;
}) {
  if (past.length === 0) return null;
  return (
    <section className="takeout-card" aria-labelledby="takeout-past-title">
      <h3 id="takeout-past-title">Past imports</h3>
      <ul className="takeout-past" aria-label="Past imports">
        {past.map((item) => (
          <li key={item.id} className={`takeout-past-item ${item.status}`}>
            <div>
              <strong>{when(item.createdAt)}</strong>
              <span className={`takeout-status ${item.status}`}>{statusText[item.status]}</span>
            </div>
            <small>
              {item.source === 'pixelunion' ? 'PixelUnion export · ' : 'Google Photos · '}
              {plural(item.parts.length, 'part')} ·{' '}
              {plural(item.counts.imported, 'photo or video', 'photos and videos')} imported
              {item.counts.duplicates > 0 ? ` · ${item.counts.duplicates} duplicates` : ''}
              {item.counts.skipped + item.counts.failed + item.counts.refused > 0
                ? ` · ${item.counts.skipped + item.counts.failed + item.counts.refused} left out`
                : ''}
            </small>
            <button
              type="button"
              className="secondary"
              disabled={disabled}
              onClick={() => {
                onShow(item);
              }}
            >
              {item.status === 'uploading' ? 'Continue' : 'Show'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
