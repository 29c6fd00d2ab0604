import { useEffect, useState } from 'react';
import { UploadIcon } from '../layout/icons';
import { filesFromDrop } from './files';
import { useUploads } from './UploadContext';

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

/** Accepts files and folders dropped anywhere on the page. */
export function DropZone() {
  const { add } = useUploads();
  const [active, setActive] = useState(false);

  useEffect(() => {
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setActive(true);
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      if (!event.dataTransfer) return;
      event.preventDefault();
      depth = 0;
      setActive(false);
      void filesFromDrop(event.dataTransfer).then((files) => {
        if (files.length > 0) add(files);
      });
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [add]);

  if (!active) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <UploadIcon />
      <p>Drop photos or folders to upload</p>
    </div>
  );
}
