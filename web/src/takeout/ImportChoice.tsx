import type { ImportSource } from './api';

const choices: { source: ImportSource; label: string }[] = [
  { source: 'google-takeout', label: 'From Google Photos' },
  { source: 'pixelunion', label: 'From a PixelUnion export' },
];

function GoogleIntro() {
  return (
    <p className="page-intro">
      In{' '}
      <a href="https://takeout.google.com/" target="_blank" rel="noreferrer">
        Google Takeout
      </a>
      , select only Google Photos and export it as .zip or .tgz files; Google splits a large library
      into several parts. Download every part, then choose them all here at once: your photos come
      with their dates, places, descriptions and albums.
    </p>
  );
}

function PixelUnionIntro() {
  return (
    <p className="page-intro">
      Moving from another PixelUnion server? There, in Account → <strong>Export my data</strong>,
      download every part of the export (the “PixelUnion export” zip files), then choose them all
      here at once. Every photo and video comes back byte for byte with its date (corrected ones
      too), place, description, favourite, archive, locked folder and trash state, live photos and
      your albums. Album members and share links belong to the other server: the report lists them,
      they are not recreated.
    </p>
  );
}

/**
 * The top of the import page: what is being imported (Google Photos or a PixelUnion export) and
 * how to get it. Both take the same path below: the parts are uploaded, the server recognises
 * what they hold.
 */
export function ImportChoice({
  source,
  disabled,
  onChange,
}: {
  source: ImportSource;
  disabled: boolean;
  onChange: (source: ImportSource) => void;
}) {
  return (
    <>
      <h2>
        {source === 'pixelunion' ? 'Import a PixelUnion export' : 'Import from Google Photos'}
      </h2>
      <div className="takeout-choice" role="radiogroup" aria-label="What to import">
        {choices.map((choice) => (
          <label
            key={choice.source}
            className={
              choice.source === source ? 'takeout-choice-item chosen' : 'takeout-choice-item'
            }
          >
            <input
              type="radio"
              name="takeout-source"
              value={choice.source}
              checked={choice.source === source}
              disabled={disabled}
              onChange={() => {
                onChange(choice.source);
              }}
            />
            {choice.label}
          </label>
        ))}
      </div>
      {source === 'pixelunion' ? <PixelUnionIntro /> : <GoogleIntro />}
    </>
  );
}
