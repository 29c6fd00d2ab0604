import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
  type PointerEvent,
  type Ref,
} from 'react';
import { assets } from '../api/endpoints';
import type { Asset } from '../api/types';
import { placeholderUrl } from '../timeline/thumbhash';
import { ZoomIcon } from '../layout/icons';
import { LiveBadge, LiveVideo, useLivePhoto, type LiveControl } from './LivePhoto';

/** How long a finger rests on a live photo before its motion plays, and how far it may drift. */
const HOLD_MS = 350;
const HOLD_SLOP_PX = 10;

/**
 * The photo (preview, then every pixel when zoomed, with drag to pan) or the video; a live
 * photo's motion plays over its still (see LivePhoto).
 */
export function Media({
  asset,
  onSwipe,
  liveControl,
}: {
  asset: Asset;
  onSwipe: (direction: 'left' | 'right') => void;
  /** For the viewer's L key. */
  liveControl?: Ref<LiveControl>;
}) {
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [loaded, setLoaded] = useState(false);
  const drag = useRef<{ x: number; y: number; panX: number; panY: number } | null>(null);
  const image = useRef<HTMLImageElement>(null);
  // A finger pressing a live photo: playing once it has rested long enough.
  const hold = useRef<{ timer: number; playing: boolean } | null>(null);
  // The motion plays over the still as it is laid out, so unzoomed.
  const unzoom = useCallback(() => {
    setZoom(1);
    setPan({ x: 0, y: 0 });
  }, []);
  const live = useLivePhoto(asset.id, asset.type === 'image' && asset.hasMotion, unzoom);
  useImperativeHandle(liveControl, () => ({ toggle: live.toggle }), [live.toggle]);
  useEffect(
    () => () => {
      if (hold.current) window.clearTimeout(hold.current.timer);
    },
    [],
  );

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

  const endHold = () => {
    const held = hold.current;
    hold.current = null;
    if (!held) return false;
    window.clearTimeout(held.timer);
    if (held.playing) live.stop('hold');
    return held.playing;
  };
  const onPointerDown = (event: PointerEvent) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY, panX: pan.x, panY: pan.y };
    endHold();
    if (live.available && event.pointerType !== 'mouse' && !zoomed) {
      const timer = window.setTimeout(() => {
        if (!hold.current) return;
        hold.current.playing = true;
        live.play('hold');
      }, HOLD_MS);
      hold.current = { timer, playing: false };
    }
  };
  const onPointerMove = (event: PointerEvent) => {
    const start = drag.current;
    if (
      hold.current &&
      !hold.current.playing &&
      start &&
      Math.hypot(event.clientX - start.x, event.clientY - start.y) > HOLD_SLOP_PX
    ) {
      endHold();
    }
    if (!drag.current || !zoomed) return;
    setPan({
      x: drag.current.panX + (event.clientX - drag.current.x),
      y: drag.current.panY + (event.clientY - drag.current.y),
    });
  };
  const onPointerUp = (event: PointerEvent) => {
    const start = drag.current;
    drag.current = null;
    // A hold that played the motion is not a swipe.
    if (endHold() || !start || zoomed) return;
    const dx = event.clientX - start.x;
    if (Math.abs(dx) > 60 && Math.abs(dx) > Math.abs(event.clientY - start.y)) {
      onSwipe(dx < 0 ? 'left' : 'right');
    }
  };
  const toggleZoom = () => {
    live.stop();
    setZoom(zoomed ? 1 : 3);
    setPan({ x: 0, y: 0 });
  };

  return (
    <div
      className={`viewer-media${zoomed ? ' zoomed' : ''}${asset.hasMotion ? ' has-live' : ''}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        drag.current = null;
        endHold();
      }}
      onContextMenu={(event) => {
        // A long press on a phone opens the image's menu; here it plays the motion instead.
        if (hold.current) event.preventDefault();
      }}
      onDoubleClick={toggleZoom}
      onWheel={(event) => {
        const next = Math.min(8, Math.max(1, zoom * (event.deltaY < 0 ? 1.25 : 0.8)));
        if (next !== zoom) live.stop();
        setZoom(next);
        if (next === 1) setPan({ x: 0, y: 0 });
      }}
    >
      <img
        ref={image}
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
      <LiveVideo live={live} image={image} label={asset.originalFileName} />
      <LiveBadge live={live} />
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
