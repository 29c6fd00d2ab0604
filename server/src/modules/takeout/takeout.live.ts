// Live photos in one Takeout folder: the still and its motion part must become one asset.
import { compareStrings, splitExt } from './takeout.names.js';

// Preference order when a stem has several stills or videos: the camera's own format first.
const STILLS = ['heic', 'heif', 'jpg', 'jpeg'];
const MOTIONS = ['mov', 'mp4'];
// Pixel: the still `X.MP.jpg` (or `X.MP~2.jpg`) and, sometimes, its video as `X.MP` / `X.MP~2`.
const PIXEL_STILL = /^(.+)\.mp(?:~(\d+))?\.jpe?g$/iu;
const PIXEL_MOTION = /^(.+)\.mp(?:~(\d+))?$/iu;

interface Named {
  name: string;
  key: string; // NFC, lower case: the form names are compared in
}

/** Pairs live photos in ONE folder: motion file name → still file name. iPhone: a still (jpg/jpeg/heic/heif, any case) and a video (mov/mp4) with the same stem (case-insensitive, NFC, counters must agree: IMG_1(1).HEIC pairs with IMG_1(1).MOV, not IMG_1.MOV). Pixel: `X.MP.jpg` (or .MP.JPG) with `X.MP` or `X.MP~2` … (the still's stem minus `.MP`). A still pairs with at most one motion file. */
export function pairLivePhotos(media: readonly string[]): Map<string, string> {
  const files: Named[] = [...new Set(media)]
    .map((name) => ({ name, key: name.normalize('NFC').toLowerCase() }))
    .sort((a, b) => compareStrings(a.key, b.key) || compareStrings(a.name, b.name));
  const pairs = new Map<string, string>();
  const taken = new Set<string>();
  const pair = (motion: Named, still: Named): void => {
    pairs.set(motion.name, still.name);
    taken.add(still.name);
  };

  pairPixel(files, pairs, taken, pair);

  // iPhone: group by stem; the counter is part of the stem, so counters agree by construction.
  const groups = new Map<string, { stills: Named[]; motions: Named[] }>();
  for (const file of files) {
    if (pairs.has(file.name) || taken.has(file.name)) continue;
    const { stem, ext } = splitExt(file.key);
    const list = STILLS.includes(ext) ? 'stills' : MOTIONS.includes(ext) ? 'motions' : null;
    if (list === null) continue;
    const group = groups.get(stem) ?? { stills: [], motions: [] };
    group[list].push(file);
    groups.set(stem, group);
  }
  for (const { stills, motions } of groups.values()) {
    stills.sort(byPreference(STILLS));
    motions.sort(byPreference(MOTIONS));
    // Rare (IMG.HEIC + IMG.JPG + IMG.MOV + IMG.MP4): pair best with best, then the next ones.
    for (let i = 0; i < Math.min(stills.length, motions.length); i++) {
      const still = stills[i];
      const motion = motions[i];
      if (still && motion) pair(motion, still);
    }
  }
  return pairs;
}

function pairPixel(
  files: readonly Named[],
  pairs: Map<string, string>,
  taken: Set<string>,
  pair: (motion: Named, still: Named) => void,
): void {
  const stills = files.filter((f) => PIXEL_STILL.test(f.key));
  const motions = files
    .map((f) => ({ file: f, match: PIXEL_MOTION.exec(f.key) }))
    .filter((m) => m.match !== null)
    .sort((a, b) => tilde(a.match) - tilde(b.match) || compareStrings(a.file.key, b.file.key));
  // First the exact stem: `X.MP~2` belongs to `X.MP~2.jpg`, `X.MP` to `X.MP.jpg`.
  for (const { file } of motions) {
    const still = stills.find((s) => splitExt(s.key).stem === file.key && !taken.has(s.name));
    if (still) pair(file, still);
  }
  // Then a leftover `X.MP~n` goes to a still of the same photo (`X.MP.jpg` first) still free.
  for (const { file, match } of motions) {
    if (pairs.has(file.name)) continue;
    const still = stills
      .map((s) => ({ s, m: PIXEL_STILL.exec(s.key) }))
      .filter(({ s, m }) => m?.[1] === match?.[1] && !taken.has(s.name))
      .sort((a, b) => tilde(a.m) - tilde(b.m) || compareStrings(a.s.key, b.s.key))[0];
    if (still) pair(file, still.s);
  }
}

/** `X.MP` → 0, `X.MP~2` → 2. */
function tilde(match: RegExpExecArray | null): number {
  return Number(match?.[2] ?? 0);
}

function byPreference(order: readonly string[]): (a: Named, b: Named) => number {
  return (a, b) =>
    order.indexOf(splitExt(a.key).ext) - order.indexOf(splitExt(b.key).ext) ||
    compareStrings(a.key, b.key) ||
    compareStrings(a.name, b.name);
}
