import { memo, useCallback, useEffect, useState, type MouseEvent } from 'react';
import { assets } from '../api/endpoints';
import { CheckIcon, HeartIcon, PlayIcon } from '../layout/icons';
import { formatDuration } from './dates';
import { afterScrollSlows } from './scrollSpeed';
import { averageColour, cachedPlaceholder, placeholderUrl } from './thumbhash';

interface TileProps {
  id: string;
  index: number;
  left: number;
  top: number;
  width: number;
  height: number;
  thumbhash: string | null;
  isVideo: boolean;
  duration: number | null;
  favorite: boolean;
  selected: boolean;
  selecting: boolean;
  label: string;
  onOpen: (index: number) => void;
  onToggle: (index: number, range: boolean) => void;
}

const retryDelaysMs = [1000, 2000, 4000, 8000, 15000];
// A tile asks for its thumbnail after staying mounted this long and once the timeline is not
// scrolling fast (scrollSpeed.ts). Thumbnails already loaded once come straight from the cache.
const thumbnailDelayMs = 150;
const placeholderDelayMs = 60;
const loadedThumbnails = new Set<string>();

interface TileState {
  /** The asset this state is for: a tile's element passes to another asset (slotKeys.ts). */
  id: string;
  attempt: number;
  loaded: boolean;
  wanted: boolean;
  placeholder: string | undefined;
}

const stateFor = (id: string, thumbhash: string | null): TileState => ({
  id,
  attempt: 0,
  loaded: false,
  wanted: loadedThumbnails.has(id),
  placeholder: cachedPlaceholder(thumbhash),
});

/** One thumbnail: thumbhash placeholder until the image arrives (retried while processing). */
export const Tile = memo(function Tile(props: TileProps) {
  const { id, thumbhash } = props;
  const [stored, setState] = useState(() => stateFor(id, thumbhash));
  let state = stored;
  if (stored.id !== id) {
    state = stateFor(id, thumbhash);
    setState(state);
  }
  // Updates that arrive for the asset this tile showed before are dropped.
  const update = useCallback(
    (change: Partial<TileState>) => {
      setState((s) => (s.id === id ? { ...s, ...change } : s));
    },
    [id],
  );
  const { wanted, loaded, attempt, placeholder } = state;
  useEffect(() => {
    if (wanted) return;
    return afterScrollSlows(thumbnailDelayMs, () => {
      update({ wanted: true });
    });
  }, [wanted, update]);
  // The placeholder image is decoded once the tile has been on screen a moment and the scroll
  // is slow: a fast scroll shows average colours instead of decoding images nobody sees.
  useEffect(() => {
    if (placeholder !== undefined || loaded || !thumbhash) return;
    return afterScrollSlows(placeholderDelayMs, () => {
      update({ placeholder: placeholderUrl(thumbhash) });
    });
  }, [placeholder, loaded, thumbhash, update]);
  const src = assets.thumbnailUrl(id) + (attempt > 0 ? `?retry=${attempt}` : '');

  const onClick = (event: MouseEvent) => {
    if (props.selecting || event.shiftKey) props.onToggle(props.index, event.shiftKey);
    else props.onOpen(props.index);
  };

  return (
    <div
      className={`tile${props.selected ? ' selected' : ''}`}
      style={{
        transform: `translate(${props.left}px, ${props.top}px)`,
        width: props.width,
        height: props.height,
        backgroundImage: placeholder ? `url("${placeholder}")` : undefined,
        // A selected tile shows the selection's colour instead (app.css).
        backgroundColor: props.selected ? undefined : averageColour(thumbhash),
      }}
      data-asset-id={id}
    >
      <button
        type="button"
        className="tile-open"
        aria-label={`Open ${props.label}`}
        onClick={onClick}
      >
        {wanted && (
          <img
            key={`${id}:${attempt}`}
            src={src}
            alt=""
            decoding="async"
            className={loaded ? 'loaded' : undefined}
            onLoad={() => {
              if (loadedThumbnails.size > 20_000) loadedThumbnails.clear();
              loadedThumbnails.add(id);
              update({ loaded: true });
            }}
            onError={() => {
              const delay = retryDelaysMs[attempt];
              if (delay !== undefined) {
                setTimeout(() => {
                  update({ attempt: attempt + 1 });
                }, delay);
              }
            }}
          />
        )}
      </button>
      <button
        type="button"
        className="tile-check"
        aria-label={props.selected ? `Deselect ${props.label}` : `Select ${props.label}`}
        aria-pressed={props.selected}
        onClick={(event) => {
          props.onToggle(props.index, event.shiftKey);
        }}
      >
        <CheckIcon />
      </button>
      {props.isVideo && (
        <span className="tile-badge">
          <PlayIcon />
          {props.duration !== null && formatDuration(props.duration)}
        </span>
      )}
      {props.favorite && (
        <span className="tile-favorite" aria-label="Favourite">
          <HeartIcon filled />
        </span>
      )}
    </div>
  );
});
