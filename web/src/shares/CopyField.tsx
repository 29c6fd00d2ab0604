import { useRef, useState } from 'react';

/** Puts text on the clipboard (the Clipboard API, or the selection of `input` as a fallback). */
export async function copyText(text: string, input?: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!input) return false;
    input.select();
    // The old way still works where the Clipboard API is refused (plain http, some browsers).
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    return document.execCommand('copy');
  }
}

/** A read-only address with a Copy button. */
export function CopyField({ value, label }: { value: string; label: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <div className="copy-field">
      <input
        ref={input}
        readOnly
        value={value}
        aria-label={label}
        onFocus={(e) => {
          e.currentTarget.select();
        }}
      />
      <button
        type="button"
        className="primary"
        onClick={() => {
          void copyText(value, input.current).then((ok) => {
            setState(ok ? 'copied' : 'failed');
          });
        }}
      >
        Copy
      </button>
      <span className="copy-state" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select the address and copy it' : ''}
      </span>
    </div>
  );
}
