import { ChevronLeftIcon, ChevronRightIcon, InfoIcon } from '../layout/icons';

/** The previous / next buttons at the sides of a viewer; a side without a photo has none. */
export function ViewerNav({
  onPrevious,
  onNext,
}: {
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
}) {
  return (
    <>
      {onPrevious && (
        <button
          type="button"
          className="viewer-nav prev"
          aria-label="Previous photo"
          onClick={onPrevious}
        >
          <ChevronLeftIcon />
        </button>
      )}
      {onNext && (
        <button type="button" className="viewer-nav next" aria-label="Next photo" onClick={onNext}>
          <ChevronRightIcon />
        </button>
      )}
    </>
  );
}

/** The info panel's toggle in a viewer's top bar. */
export function InfoToggle({ shown, onToggle }: { shown: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={shown ? 'Hide info' : 'Show info'}
      aria-pressed={shown}
      onClick={onToggle}
    >
      <InfoIcon />
    </button>
  );
}
