import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import './live-photo.css';

/**
 * Live photos (an iPhone still with its MOV, a Pixel motion photo): the still is the asset, its
 * short video is at /api/assets/:id/motion. Nothing of the video is fetched until it is played:
 * the <video> element and its src only exist from the first play on.
 *
 * How it plays, as in Apple's and Google's apps:
 * - a click or tap on the LIVE badge, or the L key, plays it once, then the still shows again;
 *   a second press while it plays stops it;
 * - a mouse resting on the badge plays it while it rests there (Photos on the Mac);
 * - on a touch screen, pressing and holding the photo plays it while the finger stays (iPhone).
 */

/** What the viewer's keyboard shortcut uses: false when this asset has no motion to play. */
export interface LiveControl {
  toggle: () => boolean;
}

type Phase = 'idle' | 'loading' | 'playing' | 'failed';
/** once: plays to its end; hold: plays while the pointer rests or the finger presses. */
type Mode = 'once' | 'hold';

const motionUrl = (id: string) => `/api/assets/${encodeURIComponent(id)}/motion`;

export interface LivePhoto {
  available: boolean;
  phase: Phase;
  /** Set from the first play on; before that there is no video element. */
  src: string | null;
  video: RefObject<HTMLVideoElement | null>;
  play: (mode: Mode) => void;
  /** Ends a play; with 'hold', only a play that was started by a hold. */
  stop: (only?: Mode) => void;
  toggle: () => boolean;
  onPlaying: () => void;
  onEnded: () => void;
  onError: () => void;
}

export function useLivePhoto(assetId: string, hasMotion: boolean, onStart: () => void): LivePhoto {
  const [phase, setPhase] = useState<Phase>('idle');
  const [src, setSrc] = useState<string | null>(null);
  // Each play request starts the video from its beginning, once the element exists.
  const [request, setRequest] = useState(0);
  const mode = useRef<Mode>('once');
  const video = useRef<HTMLVideoElement | null>(null);
  const available = hasMotion && phase !== 'failed';
  const active = phase === 'loading' || phase === 'playing';

  const play = useCallback(
    (next: Mode) => {
      if (!available) return;
      if (active) {
        // A hover or a hold made permanent by a press: it now plays to its end.
        if (next === 'once') mode.current = 'once';
        return;
      }
      mode.current = next;
      onStart();
      setSrc(motionUrl(assetId));
      setPhase('loading');
      setRequest((n) => n + 1);
    },
    [available, active, assetId, onStart],
  );

  const stop = useCallback(
    (only?: Mode) => {
      if (!active || (only !== undefined && mode.current !== only)) return;
      video.current?.pause();
      setPhase('idle');
    },
    [active],
  );

  const toggle = useCallback(() => {
    if (!available) return false;
    if (active && mode.current === 'once') stop();
    else play('once');
    return true;
  }, [available, active, play, stop]);

  useEffect(() => {
    const element = video.current;
    if (request === 0 || !element) return;
    element.currentTime = 0;
    element.play().catch((err: unknown) => {
      // A pause before the play began (a short hover) is no failure.
      if (err instanceof DOMException && err.name === 'AbortError') return;
      setPhase('failed');
    });
  }, [request]);

  return {
    available,
    phase,
    src,
    video,
    play,
    stop,
    toggle,
    onPlaying: () => {
      setPhase((p) => (p === 'loading' ? 'playing' : p));
    },
    onEnded: () => {
      setPhase((p) => (p === 'failed' ? p : 'idle'));
    },
    onError: () => {
      setPhase('failed');
    },
  };
}

/** The LIVE badge over the photo: its button, or a note when the video could not play. */
export function LiveBadge({ live }: { live: LivePhoto }) {
  if (live.phase === 'failed') {
    return (
      <span className="viewer-live failed" role="status">
        <LiveIcon off /> Live photo could not play
      </span>
    );
  }
  if (!live.available) return null;
  const active = live.phase !== 'idle';
  return (
    <button
      type="button"
      className={`viewer-live${live.phase === 'loading' ? ' loading' : ''}`}
      aria-label="Play live photo"
      aria-pressed={active}
      aria-keyshortcuts="L"
      title="Play live photo (L)"
      onPointerDown={(e) => {
        // Not a drag, a swipe or a hold of the photo underneath.
        e.stopPropagation();
      }}
      onPointerEnter={(e) => {
        if (e.pointerType === 'mouse') live.play('hold');
      }}
      onPointerLeave={(e) => {
        if (e.pointerType === 'mouse') live.stop('hold');
      }}
      onClick={() => {
        live.toggle();
      }}
    >
      <LiveIcon /> LIVE
    </button>
  );
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The motion video exactly over the still: same place, same size (cropped like a cover if its
 * shape differs a little), muted, without controls. Shown only while it plays.
 */
export function LiveVideo({
  live,
  image,
  label,
}: {
  live: LivePhoto;
  image: RefObject<HTMLImageElement | null>;
  label: string;
}) {
  const [box, setBox] = useState<Box | null>(null);
  const { src } = live;

  // Offsets, not the bounding box: they leave out the still's zoom transform and its transition.
  useLayoutEffect(() => {
    const still = image.current;
    if (src === null || !still) return;
    const measure = () => {
      setBox({
        left: still.offsetLeft,
        top: still.offsetTop,
        width: still.offsetWidth,
        height: still.offsetHeight,
      });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(still);
    if (still.parentElement) observer.observe(still.parentElement);
    return () => {
      observer.disconnect();
    };
  }, [src, image]);

  if (src === null) return null;
  return (
    <video
      ref={live.video}
      className={`viewer-live-video${live.phase === 'playing' ? ' shown' : ''}`}
      src={src}
      muted
      playsInline
      preload="auto"
      disablePictureInPicture
      aria-label={`Live photo ${label}`}
      aria-hidden={live.phase !== 'playing'}
      style={box ?? undefined}
      onPlaying={live.onPlaying}
      onEnded={live.onEnded}
      onError={live.onError}
    />
  );
}

/** Apple's live-photo mark: a dot in a ring in a dotted ring; struck through when off. */
function LiveIcon({ off = false }: { off?: boolean }) {
  return (
    <svg
      width={16}
      height={16}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      aria-hidden="true"
      focusable="false"
      className="viewer-live-icon"
    >
      <circle cx="12" cy="12" r="2.5" fill="currentColor" stroke="none" />
      <circle cx="12" cy="12" r="6" />
      <circle cx="12" cy="12" r="10" strokeDasharray="0.1 3.1" strokeWidth="2.2" />
      {off && <path d="M4 4l16 16" />}
    </svg>
  );
}
