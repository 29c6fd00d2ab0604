import { memo, useEffect, useState, type MouseEvent } from 'react';
import { assets } from '../api/endpoints';
import { CheckIcon, HeartIcon, PlayIcon } from '../layout/icons';
import { formatDuration } from './dates';
import { timelineScroll } from './scrollSpeed';
import { cachedPlaceholder, placeholderUrl } from './thumbhash';

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
const loadedThumbnails = new Set<string>();

/** One thumbnail: thumbhash placeholder until the image arrives (retried while processing). */
export const Tile = memo(function Tile(props: TileProps) {
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [wanted, setWanted] = useState(() => loadedThumbnails.has(props.id));
  useEffect(() => {
    if (wanted) return;
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      if (timelineScroll.isFast(performance.now())) timer = setTimeout(check, thumbnailDelayMs);
      else setWanted(true);
    };
    timer = setTimeout(check, thumbnailDelayMs);
    return () => {
      clearTimeout(timer);
    };
  }, [wanted]);
  // Decoding a thumbhash costs ~0.1 ms: done a moment after mounting, so a fast scroll that
  // mounts and drops many tiles per frame does not pay for placeholders nobody sees.
  const [placeholder, setPlaceholder] = useState(() => cachedPlaceholder(props.thumbhash));
  useEffect(() => {
    if (placeholder !== undefined || loaded || !props.thumbhash) return;
    const timer = setTimeout(() => {
      setPlaceholder(placeholderUrl(props.thumbhash));
    }, 60);
    return () => {
      clearTimeout(timer);
    };
  }, [placeholder, loaded, props.thumbhash]);
  const src = assets.thumbnailUrl(props.id) + (attempt > 0 ? `?retry=${attempt}` : '');

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
      }}
      data-asset-id={props.id}
    >
      <button
        type="button"
        className="tile-open"
        aria-label={`Open ${props.label}`}
        onClick={onClick}
      >
        {wanted && (
          <img
            key={attempt}
            src={src}
            alt=""
            decoding="async"
            className={loaded ? 'loaded' : undefined}
            onLoad={() => {
              if (loadedThumbnails.size > 20_000) loadedThumbnails.clear();
              loadedThumbnails.add(props.id);
              setLoaded(true);
            }}
            onError={() => {
              const delay = retryDelaysMs[attempt];
              if (delay !== undefined) {
                setTimeout(() => {
                  setAttempt((a) => a + 1);
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
