import { FormError } from '../layout/FormError';
import { formatBytes } from '../timeline/dates';
import type { TakeoutImport, TakeoutPart } from './api';
import { counters, handled, phaseText, plural, sourceText } from './words';

const partText: Record<TakeoutPart['status'], string> = {
  uploaded: 'Uploaded',
  indexed: 'Read',
  failed: 'Could not be read',
};

/** Where a started import is: its phase, a progress bar, the counters and its parts. */
export function ImportProgress({ item }: { item: TakeoutImport }) {
  const { counts } = item;
  // While the archives are indexed the number of photos still grows: no fraction to show yet.
  const counting = item.status === 'queued' || item.status === 'indexing';
  const done = item.status === 'done';
  const total = Math.max(counts.media, 1);
  return (
    <section className="takeout-card" aria-labelledby="takeout-progress-title">
      <h3 id="takeout-progress-title">Progress</h3>
      <p className="takeout-hint takeout-source">{sourceText[item.source]}</p>
      <p className={`takeout-phase ${item.status}`} role="status">
        {phaseText[item.status]}
      </p>
      <progress
        aria-label="Import progress"
        max={total}
        value={counting ? undefined : done ? total : handled(counts)}
      />
      <p className="takeout-hint">
        {counting
          ? `${plural(counts.media, 'photo or video', 'photos and videos')} found so far in ${plural(item.parts.length, 'part')}`
          : `${handled(counts)} of ${plural(counts.media, 'photo or video', 'photos and videos')} handled`}
      </p>
      <FormError error={item.error ? `The import stopped: ${item.error}` : null} />
      <dl className="takeout-counts" aria-label="Counts">
        {counters.map((c) => (
          <div key={c.key} className={`takeout-count ${c.key}`} data-count={c.key}>
            <dt>{c.label}</dt>
            <dd>{counts[c.key]}</dd>
            <small>{c.hint}</small>
          </div>
        ))}
      </dl>
      <ul className="takeout-parts" aria-label="Parts of the import">
        {item.parts.map((part) => (
          <li key={part.id} className={`takeout-part ${part.status}`}>
            <div className="takeout-part-row">
              <span className="takeout-part-name" title={part.fileName}>
                {part.fileName}
              </span>
              <span className="takeout-part-state">
                {formatBytes(part.size)} · {partText[part.status]}
              </span>
            </div>
            {part.error && <p className="takeout-part-message">{part.error}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
