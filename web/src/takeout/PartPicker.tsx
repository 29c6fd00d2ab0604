import { useEffect, useRef, useState } from 'react';
import { UploadIcon } from '../layout/icons';
import { filesFromDrop } from '../upload/files';

export const archiveAccept = '.zip,.tgz,.gz,.tar';

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

/**
 * Files dragged onto the import page are parts of an export, not photos: this takes every drag
 * on the page first (window, capture phase) and stops it, so that the app's own drop zone
 * (which uploads photos) never sees it. Answers whether files are being dragged over the page.
 */
export function useArchiveDrop(onFiles: (files: File[]) => void, enabled: boolean): boolean {
  const [dragging, setDragging] = useState(false);
  const latest = useRef({ onFiles, enabled });
  useEffect(() => {
    latest.current = { onFiles, enabled };
  }, [onFiles, enabled]);

  useEffect(() => {
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.stopPropagation();
      depth++;
      setDragging(true);
    };
    const onLeave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.stopPropagation();
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.stopPropagation();
      event.preventDefault();
      if (event.dataTransfer) {
        event.dataTransfer.dropEffect = latest.current.enabled ? 'copy' : 'none';
      }
    };
    const onDrop = (event: DragEvent) => {
      if (!event.dataTransfer || !hasFiles(event)) return;
      event.stopPropagation();
      event.preventDefault();
      depth = 0;
      setDragging(false);
      if (!latest.current.enabled) return;
      void filesFromDrop(event.dataTransfer).then((files) => {
        if (files.length > 0) latest.current.onFiles(files);
      });
    };
    const options = { capture: true };
    window.addEventListener('dragenter', onEnter, options);
    window.addEventListener('dragleave', onLeave, options);
    window.addEventListener('dragover', onOver, options);
    window.addEventListener('drop', onDrop, options);
    return () => {
      window.removeEventListener('dragenter', onEnter, options);
      window.removeEventListener('dragleave', onLeave, options);
      window.removeEventListener('dragover', onOver, options);
      window.removeEventListener('drop', onDrop, options);
    };
  }, []);
  return dragging;
}

/** Where the parts are chosen (or dropped: the whole page takes them, see useArchiveDrop). */
export function PartPicker({
  title,
  dragging,
  onFiles,
}: {
  title: string;
  dragging: boolean;
  onFiles: (files: File[]) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <section
      className={dragging ? 'takeout-card takeout-drop dragging' : 'takeout-card takeout-drop'}
      aria-labelledby="takeout-pick-title"
    >
      <h3 id="takeout-pick-title">{title}</h3>
      <UploadIcon />
      <p>
        {dragging
          ? 'Drop the parts of your export here'
          : 'Drop the .zip or .tgz files of your export here, or'}
      </p>
      <button type="button" className="primary" onClick={() => input.current?.click()}>
        Choose the parts…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept={archiveAccept}
        aria-label="Parts of your export"
        data-testid="takeout-input"
        onChange={(event) => {
          const list = event.currentTarget.files;
          if (list && list.length > 0) onFiles(Array.from(list));
          event.currentTarget.value = '';
        }}
      />
      <p className="takeout-hint">
        Select every part at once (hold Shift or Ctrl). Each one is uploaded resumably: if the
        connection drops or the page closes, choose the same files again and the upload continues
        where it stopped.
      </p>
    </section>
  );
}
