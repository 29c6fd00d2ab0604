// Pure name rules of the Takeout importer: what an archive entry is by its name, and the small
// name helpers the matching and live-photo rules share. No file system here.

export type EntryRole = 'sidecar-json' | 'ignored' | 'media-candidate';

// Documents and OS/tool litter that are never photos. Only these are skipped by name: anything
// else is sniffed later, because Takeout extensions lie (a `.HEIC` that is a JPEG…).
const IGNORED_EXTENSIONS = new Set([
  'html',
  'htm',
  'xhtml',
  'txt',
  'csv',
  'tsv',
  'pdf',
  'xml',
  'md',
  'rtf',
  'log',
  'ini',
  'db',
  'plist',
  'url',
  'lnk',
]);
const JUNK_NAMES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', '.localized', '.nomedia']);

/** By name only: *.json → 'sidecar-json' (content decides later); html/htm/txt/csv/pdf/… and OS junk (.DS_Store, Thumbs.db, desktop.ini) → 'ignored'; anything else → 'media-candidate' (its content is sniffed later, extensions lie). */
export function roleOfName(name: string): EntryRole {
  const lower = name.normalize('NFC').toLowerCase();
  // '' is a directory entry; `._x` are macOS AppleDouble shadows of real files.
  if (lower === '' || lower === 'icon\r' || JUNK_NAMES.has(lower) || lower.startsWith('._')) {
    return 'ignored';
  }
  const { ext } = splitExt(lower);
  if (ext === 'json') return 'sidecar-json';
  return IGNORED_EXTENSIONS.has(ext) ? 'ignored' : 'media-candidate';
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

/** The year a library folder's name ends with: 'Photos from 2019', 'Fotos von 2019', 'Photos de 2019', 'Zdjęcia z 2019', 'Фото за 2019' → 2019; null for anything else (an album called 'Paris 2019' also yields 2019, the caller only asks for folders that are not albums). Years 1900..2100 only. Also accepts CJK names that lead with the year ('2019年の写真', '2019년 사진'). */
export function folderYear(folderName: string): number | null {
  const name = folderName.normalize('NFC').trim();
  // The year must stand alone: '12019' or 'IMG_2019' are not years.
  const match = /(?:^|[^\p{N}_])(\d{4})$/u.exec(name) ?? /^(\d{4})\s*[年년]/u.exec(name);
  const year = Number(match?.[1]);
  return Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR ? year : null;
}

/** Splits an entry path into its folder (everything before the last '/', '' at the root) and file name. */
export function splitEntryPath(path: string): { folder: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0
    ? { folder: '', name: path }
    : { folder: path.slice(0, slash), name: path.slice(slash + 1) };
}

/** The folder's last segment. */
export function folderName(folder: string): string {
  const trimmed = folder.replace(/\/+$/u, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Splits at the last dot: `IMG.MP.jpg` → { stem: 'IMG.MP', ext: 'jpg' }. A leading dot (`.DS_Store`) is no extension. */
export function splitExt(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  return dot <= 0
    ? { stem: name, ext: '' }
    : { stem: name.slice(0, dot), ext: name.slice(dot + 1) };
}

/** Takeout's duplicate counter, placed before the extension of a media name: `IMG(1).jpg` → { plain: 'IMG.jpg', counter: 1 }. */
export function stripCounter(name: string): { plain: string; counter: number | null } {
  const match = /^(.+)\((\d{1,9})\)(\.[^.]*)?$/u.exec(name);
  if (!match) return { plain: name, counter: null };
  return { plain: (match[1] ?? '') + (match[3] ?? ''), counter: Number(match[2]) };
}

const IMAGE_EXTENSIONS = new Set(
  'jpg jpeg jpe jfif heic heif avif png webp gif bmp tif tiff dng raw cr2 cr3 nef arw orf rw2 raf jxl'.split(
    ' ',
  ),
);
const VIDEO_EXTENSIONS = new Set(
  'mp4 m4v mov 3gp 3g2 avi mkv webm mpg mpeg mts m2ts wmv mp'.split(' '),
);

/** 'image' | 'video' by extension (any case), null when unknown. A hint for pairing only: content decides. */
export function mediaKindOfExt(ext: string): 'image' | 'video' | null {
  const lower = ext.toLowerCase();
  if (IMAGE_EXTENSIONS.has(lower)) return 'image';
  return VIDEO_EXTENSIONS.has(lower) ? 'video' : null;
}

/** Code-unit order: the same whatever the locale, so results never depend on the machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
