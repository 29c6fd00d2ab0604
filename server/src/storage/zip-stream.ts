import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import yazl from 'yazl';

export interface ZipEntry {
  /** The name a person sees; made safe and unique by zipStream. */
  name: string;
  size: number;
  modifiedAt: Date;
  open(): Readable;
}

/**
 * A store-only zip (photos and videos are compressed already) written as it is read, one file
 * open at a time, with ZIP64 past 4 GiB. `size` resolves to the exact byte count before the
 * first byte is sent, so a response can carry Content-Length.
 */
export function zipStream(entries: readonly ZipEntry[]): {
  stream: Readable;
  size: Promise<number>;
} {
  const zip = new yazl.ZipFile();
  const names = new UniqueNames();
  for (const entry of entries) {
    zip.addReadStreamLazy(
      names.take(entry.name),
      { size: entry.size, mtime: entry.modifiedAt, compress: false },
      (callback) => {
        try {
          callback(null, entry.open());
        } catch (error) {
          callback(error, undefined as never);
        }
      },
    );
  }
  const size = new Promise<number>((resolve) => {
    // yazl passes the total (or -1 if unknown) to this callback; its typings omit the argument.
    const whenSized = (total: number) => {
      resolve(total);
    };
    zip.end(undefined, whenSized as () => void);
  });
  const stream = new PassThrough();
  zip.on('error', (error: Error) => stream.destroy(error));
  zip.outputStream.pipe(stream);
  return { stream, size };
}

/** File names without any path (no `../` on extraction), unique in the archive. */
export class UniqueNames {
  private readonly used = new Set<string>();

  take(wanted: string): string {
    // eslint-disable-next-line no-control-regex
    const base = path.posix.basename(wanted.replaceAll('\\', '/')).replace(/[\u0000-\u001f]/g, '');
    const safe = base === '' || base === '.' || base === '..' ? 'file' : base;
    const ext = path.posix.extname(safe);
    const stem = safe.slice(0, safe.length - ext.length);
    let name = safe;
    for (let n = 1; this.used.has(name.toLowerCase()); n++) name = `${stem} (${n})${ext}`;
    this.used.add(name.toLowerCase());
    return name;
  }
}
