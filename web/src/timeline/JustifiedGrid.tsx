import { memo, useMemo, useState, type ReactNode } from 'react';
import { PlayIcon } from '../layout/icons';
import { formatDuration } from './dates';
import { justify } from './layout';
import { cachedPlaceholder, placeholderUrl } from './thumbhash';
import { useElementSize } from './useElementSize';

export interface GridItem {
  id: string;
  /** width / height */
  ratio: number;
  thumbhash: string | null;
  isVideo: boolean;
  durationSeconds: number | null;
  /** The accessible name of the tile's open button, e.g. "Open photo of 2023-10-05". */
  label: string;
}

const retryDelaysMs = [1000, 2000, 4000, 8000, 15000];

/**
 * A small set of photos (an album, a shared link) in justified rows like the timeline, all in
 * the DOM at once: thumbhash placeholders, thumbnails retried while they are being made.
 */
export function JustifiedGrid({
  items,
  thumbnailUrl,
  onOpen,
  onThumbnailError,
  action,
  label,
}: {
  items: GridItem[];
  thumbnailUrl: (id: string) => string;
  onOpen: (index: number) => void;
  onThumbnailError?: (id: string) => void;
  /** An extra control on each tile (e.g. remove from album). */
  action?: (item: GridItem) => ReactNode;
  label: string;
}) {
  const { ref, size } = useElementSize<HTMLDivElement>();
  const phone = size.width < 600;
  const rows = useMemo(() => {
    if (size.width === 0) return [];
    const ratios = items.map((i) => (i.ratio > 0 ? i.ratio : 1));
    return justify(ratios, 0, ratios.length, {
      width: size.width,
      rowHeight: phone ? 120 : 220,
      gap: 4,
    });
  }, [items, size.width, phone]);
  let top = 0;
  const placed = rows.map((row) => {
    const at = top;
    top += row.height + 4;
    return { ...row, top: at };
  });
  return (
    <div className="justified-grid" ref={ref} style={{ height: top }} aria-label={label}>
      {placed.flatMap((row) =>
        row.tiles.map((t) => {
          const item = items[t.index];
          if (!item) return null;
          return (
            <GridTile
              key={item.id}
              item={item}
              index={t.index}
              left={t.left}
              top={row.top}
              width={t.width}
              height={row.height}
              src={thumbnailUrl(item.id)}
              onOpen={onOpen}
              onError={onThumbnailError}
              action={action?.(item)}
            />
          );
        }),
      )}
    </div>
  );
}

const GridTile = memo(function GridTile(props: {
  item: GridItem;
  index: number;
  left: number;
  top: number;
  width: number;
  height: number;
  src: string;
  onOpen: (index: number) => void;
  onError?: (id: string) => void;
  action?: ReactNode;
}) {
  const { item } = props;
  const [loaded, setLoaded] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const placeholder = cachedPlaceholder(item.thumbhash) ?? placeholderUrl(item.thumbhash);
  return (
    <div
      className="tile grid-tile"
      style={{
        transform: `translate(${props.left}px, ${props.top}px)`,
        width: props.width,
        height: props.height,
        backgroundImage: placeholder && !loaded ? `url("${placeholder}")` : undefined,
      }}
      data-asset-id={item.id}
    >
      <button
        type="button"
        className="tile-open"
        aria-label={item.label}
        onClick={() => {
          props.onOpen(props.index);
        }}
      >
        {/* Not ready yet (just uploaded): asked again a few times while it is processed. */}
        <img
          key={attempt}
          src={props.src + (attempt > 0 ? `?retry=${attempt}` : '')}
          alt=""
          decoding="async"
          className={loaded ? 'loaded' : undefined}
          onLoad={() => {
            setLoaded(true);
          }}
          onError={() => {
            props.onError?.(item.id);
            const delay = retryDelaysMs[attempt];
            if (delay !== undefined) {
              setTimeout(() => {
                setAttempt((a) => a + 1);
              }, delay);
            }
          }}
        />
      </button>
      {item.isVideo && (
        <span className="tile-badge">
          <PlayIcon />
          {item.durationSeconds !== null && formatDuration(item.durationSeconds)}
        </span>
      )}
      {props.action}
    </div>
  );
});
