import { useRef, useState, type PointerEvent } from 'react';
import { assets } from '../api/endpoints';
import type { Asset } from '../api/types';
import { placeholderUrl } from '../timeline/thumbhash';
import { ZoomIcon } from '../layout/icons';

/** The photo (preview, then every pixel when zoomed, with drag to pan) or the video. */
export function Media({
  asset,
  onSwipe,
}: {
  asset: Asset;
  onSwipe: (direction: 'left' | 'right') => void;
}) {
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [loaded, setLoaded] = useState(false);
  const drag = useRef<{ x: number; y: number; panX: number; panY: number } | null>(null);

  if (asset.type === 'video') {
    return (
      <div className="viewer-media">
        <video
          className="viewer-video"
          src={assets.originalUrl(asset.id)}
          poster={assets.previewUrl(asset.id)}
          controls
          autoPlay
          playsInline
          aria-label={`Video ${asset.originalFileName}`}
        />
      </div>
    );
  }

  const zoomed = zoom > 1;
  const src = zoomed ? assets.fullSizeUrl(asset.id) : assets.previewUrl(asset.id);
  const placeholder = placeholderUrl(asset.thumbhash);

  const onPointerDown = (event: PointerEvent) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY, panX: pan.x, panY: pan.y };
  };
  const onPointerMove = (event: PointerEvent) => {
    if (!drag.current || !zoomed) return;
    setPan({
      x: drag.current.panX + (event.clientX - drag.current.x),
      y: drag.current.panY + (event.clientY - drag.current.y),
    });
  };
  const onPointerUp = (event: PointerEvent) => {
    const start = drag.current;
    drag.current = null;
    if (!start || zoomed) return;
    const dx = event.clientX - start.x;
    if (Math.abs(dx) > 60 && Math.abs(dx) > Math.abs(event.clientY - start.y)) {
      onSwipe(dx < 0 ? 'left' : 'right');
    }
  };
  const toggleZoom = () => {
    setZoom(zoomed ? 1 : 3);
    setPan({ x: 0, y: 0 });
  };

  return (
    <div
      className={zoomed ? 'viewer-media zoomed' : 'viewer-media'}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onDoubleClick={toggleZoom}
      onWheel={(event) => {
        const next = Math.min(8, Math.max(1, zoom * (event.deltaY < 0 ? 1.25 : 0.8)));
        setZoom(next);
        if (next === 1) setPan({ x: 0, y: 0 });
      }}
    >
      <img
        className="viewer-image"
        src={src}
        alt={asset.description ?? asset.originalFileName}
        draggable={false}
        onLoad={() => {
          setLoaded(true);
        }}
        style={{
          transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})`,
          backgroundImage: !loaded && placeholder ? `url("${placeholder}")` : undefined,
        }}
      />
      <button
        type="button"
        className="icon-button viewer-zoom"
        aria-label={zoomed ? 'Zoom out' : 'Zoom in to full size'}
        aria-pressed={zoomed}
        onPointerDown={(e) => {
          e.stopPropagation();
        }}
        onClick={toggleZoom}
      >
        <ZoomIcon />
      </button>
    </div>
  );
}
