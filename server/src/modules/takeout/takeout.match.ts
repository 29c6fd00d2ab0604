// Matches the media files of ONE Takeout folder to the JSON sidecars of that folder.
//
// Every sidecar name is read as (base, counter, suffix state): `IMG.jpg(1).supplemental-me.json`
// → base `IMG.jpg`, counter 1, suffix cut. Each (media, sidecar) pair that could match is scored
// (exact > counter > title > truncated, then by how little was cut) and pairs are taken best
// first, each sidecar by one media at most. Edited copies then borrow their original's sidecar.
import { pairLivePhotos } from './takeout.live.js';
import { compareStrings, mediaKindOfExt, splitExt, stripCounter } from './takeout.names.js';

/** A photo sidecar's file name in the folder and its title. */
export interface SidecarCandidate {
  name: string;
  title: string | null;
}
export type MatchHow = 'exact' | 'counter' | 'truncated' | 'title' | 'edited';
export interface SidecarMatch {
  sidecar: string;
  how: MatchHow;
}

const SUFFIX = '.supplemental-metadata';
// Google cuts `<title><suffix><counter>` to 46 characters before adding `.json` (51 in all).
// Real exports count UTF-16 units (an emoji is 2), so a cut name has 45+ units: that is the
// evidence needed before we accept a base cut anywhere but in the extension, or a lost counter.
const CUT_LENGTH = 45;
// A counter that the cut may have removed is weak evidence: below any sure counter.
const LOST_COUNTER = 1000;
const RANK: Record<MatchHow, number> = { exact: 0, counter: 1, title: 2, truncated: 3, edited: 4 };

interface Media {
  name: string;
  nfc: string;
  plain: string; // nfc without its counter: `IMG(1).jpg` → `IMG.jpg`
  counter: number | null;
  // A live photo's video or an edited copy: gets only a sidecar of its own full name, never one by
  // prefix or title (those belong to the still / the original).
  restricted: boolean;
}
interface Side {
  name: string;
  nfc: string;
  counter: number | null;
  cut: boolean; // long enough to have been cut at the limit
  core: string; // name without `.json` and counter
  bases: { base: string; suffix: 'none' | 'full' | 'cut' }[];
  title: string | null;
}
interface Found {
  how: MatchHow;
  q: number; // lower is better within a rank
}
interface StemEntry<T> {
  item: T;
  ext: string;
  counter: number | null;
}

/** Matches media file names of ONE folder to sidecar file names of the same folder. Every media name that has a sidecar gets one; edited copies get their original's. Names are compared NFC-normalised, but keys/values of the result are the names exactly as given. When two media claim one sidecar equally (the counter was cut off: `original_<uuid>_.json` for `…_P.jpg` and `…_P(1).jpg`), the one without a counter wins and the other stays unmatched. */
export function matchSidecars(
  media: readonly string[],
  sidecars: readonly SidecarCandidate[],
): Map<string, SidecarMatch> {
  const items = [...new Set(media)].map(readMedia).sort(byName);
  const sides = dedupe(sidecars).map(readSide).sort(byName);
  const motions = pairLivePhotos(items.map((m) => m.name));

  const lookup = new Map<string, Media[]>();
  const stems = new Map<string, StemEntry<Media>[]>();
  const sorted: [string, Media][] = [];
  for (const m of items) {
    for (const form of new Set([m.nfc, m.plain])) {
      for (const k of new Set([key(form), splitExt(form).stem])) push(lookup, k, m);
      sorted.push([form, m]);
    }
    addStem(stems, m.nfc, m, null);
    if (m.counter !== null) addStem(stems, m.plain, m, m.counter);
  }
  sorted.sort((a, b) => compareStrings(a[0], b[0]));
  const originals = new Map<Media, Media>();
  for (const m of items) {
    const original = editedSource(m, stems);
    if (original) originals.set(m, original);
    m.restricted = original !== null || motions.has(m.name);
  }

  const found: { m: Media; s: Side; f: Found }[] = [];
  for (const s of sides) {
    for (const m of candidates(s, lookup, sorted)) {
      const f = evaluate(m, s);
      if (f) found.push({ m, s, f });
    }
  }
  found.sort(
    (a, b) =>
      RANK[a.f.how] - RANK[b.f.how] || a.f.q - b.f.q || byName(a.m, b.m) || byName(a.s, b.s),
  );
  const matched = new Map<Media, { side: Side; how: MatchHow }>();
  const used = new Set<Side>();
  for (const { m, s, f } of found) {
    if (matched.has(m) || used.has(s)) continue;
    matched.set(m, { side: s, how: f.how });
    used.add(s);
  }

  // Edited copies have no JSON: they share their original's (shortest names first, so an edit of
  // an edit finds its original already served), else one named like their original.
  const sideStems = new Map<string, StemEntry<Side>[]>();
  for (const s of sides) {
    for (const { base } of s.bases) addStem(sideStems, base, s, s.counter);
    if (s.title !== null) addStem(sideStems, s.title, s, s.counter);
  }
  const pending = items.filter((m) => !matched.has(m));
  pending.sort((a, b) => a.plain.length - b.plain.length || byName(a, b));
  for (const m of pending) {
    const original = originals.get(m);
    // Without its original in the folder, a sidecar named like the original will do; a live
    // photo's video never borrows the still's JSON that way (pairing links them instead).
    const side = original
      ? matched.get(original)?.side
      : motions.has(m.name)
        ? null
        : editedSource(m, sideStems);
    if (side) matched.set(m, { side, how: 'edited' });
  }

  const result = new Map<string, SidecarMatch>();
  for (const m of items) {
    const match = matched.get(m);
    if (match) result.set(m.name, { sidecar: match.side.name, how: match.how });
  }
  return result;
}

function evaluate(m: Media, s: Side): Found | null {
  let best: Found | null = null;
  const offer = (how: MatchHow, q: number): void => {
    if (!best || RANK[how] < RANK[best.how] || (how === best.how && q < best.q)) best = { how, q };
  };
  // A sidecar with a counter is only for a media with the same counter (`IMG.jpg(1).json` is
  // never `IMG.jpg`'s), one without only for the name as it is (`IMG.jpg.json` is never
  // `IMG(1).jpg`'s) unless the cut may have eaten the counter.
  const target = s.counter === null ? m.nfc : s.counter === m.counter ? m.plain : null;
  const lost = s.counter === null && m.counter !== null && s.cut;
  const byPrefix = (base: string, to: string, penalty: number): void => {
    // Cut inside the extension (`IMG_2.jp`), or it is gone (`IMG`): any length. Cut deeper into
    // the name: only a name at the length limit can be that.
    if (isPrefix(base, to) && (s.cut || base.length >= splitExt(to).stem.length)) {
      offer('truncated', penalty + to.length - base.length);
    }
  };
  for (const { base, suffix } of s.bases) {
    const whole = target === null ? -1 : same(base, target);
    if (whole >= 0) {
      offer(suffix === 'cut' ? 'truncated' : s.counter === null ? 'exact' : 'counter', whole);
    }
    if (m.restricted) continue;
    if (suffix === 'cut' && lost && same(base, m.plain) >= 0) offer('truncated', LOST_COUNTER);
    if (suffix !== 'none') continue;
    if (target !== null) {
      // Cut before the media's own `(n)`: the counter may have been lost, not absent.
      const beforeCounter = m.counter !== null && base.length <= m.nfc.lastIndexOf('(');
      byPrefix(base, target, s.counter === null && beforeCounter ? LOST_COUNTER : 0);
    }
    if (lost) byPrefix(base, m.plain, LOST_COUNTER);
  }
  // Two long names cut to the same 46 characters get JSONs numbered apart (`X.json`, `X(1).json`)
  // whatever the media's counters: then only the title tells which is which.
  const titled = target ?? (s.cut && m.counter === null ? m.nfc : null);
  if (!m.restricted && s.title !== null && titled !== null) {
    const penalty = target === null ? 3 : 0; // a media whose counter agrees comes first
    const t = same(s.title, titled);
    if (t >= 0) offer('title', penalty + t);
    else if (s.title === splitExt(titled).stem) offer('title', penalty + 2); // no extension
  }
  return best;
}

/** The media a sidecar could belong to: a superset, `evaluate` decides. */
function candidates(s: Side, lookup: Map<string, Media[]>, sorted: [string, Media][]): Set<Media> {
  const out = new Set<Media>();
  const add = (k: string): void => lookup.get(k)?.forEach((m) => out.add(m));
  for (const { base } of s.bases) {
    add(key(base));
    add(base);
    add(splitExt(base).stem);
  }
  if (s.title !== null) {
    add(key(s.title));
    add(s.title);
  }
  if (s.cut) {
    // Binary search the names starting with the base (up to its last dot: the extension may
    // differ in case).
    const dot = s.core.lastIndexOf('.');
    const prefix = dot > 0 ? s.core.slice(0, dot + 1) : s.core;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid]?.[0] ?? '') < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let entry = sorted[lo]; entry?.[0].startsWith(prefix); entry = sorted[++lo]) {
      out.add(entry[1]);
    }
  }
  return out;
}

/** The original an edited copy was made from: its name minus `-<anything>` (`-edited`, `-modifié`, `-編集済み`, or cut short as `-edi`), with a compatible extension, the longest such first. */
function editedSource<T>(m: Media, index: Map<string, StemEntry<T>[]>): T | null {
  const { stem, ext } = splitExt(m.plain);
  for (let p = stem.lastIndexOf('-'); p > 0; p = stem.lastIndexOf('-', p - 1)) {
    // `-2`, `2019-08-12`: numbering and dates, not an edit marker (no language starts with a digit).
    if (/^\d/u.test(stem.slice(p + 1))) continue;
    const fits = (index.get(stem.slice(0, p)) ?? []).filter(
      (e) =>
        (e.item as unknown) !== m &&
        compatible(e.ext, ext) &&
        (e.counter === m.counter || e.counter === null),
    );
    const best = fits.find((e) => e.counter === m.counter) ?? fits[0];
    if (best) return best.item;
  }
  return null;
}

function readMedia(name: string): Media {
  const nfc = name.normalize('NFC');
  const { plain, counter } = stripCounter(nfc);
  return { name, nfc, plain, counter, restricted: false };
}

function readSide({ name, title }: SidecarCandidate): Side {
  const nfc = name.normalize('NFC');
  let core = nfc.replace(/\.json$/iu, '');
  let counter: number | null = null;
  // The counter is at the end or before the (maybe cut) suffix: `IMG.jpg(1)`, `IMG.jpg(1).supple`.
  const c = /^(.+)\((\d{1,9})\)(\.[^.()]*)?$/u.exec(core);
  if (c && (c[3] === undefined || SUFFIX.startsWith(c[3]))) {
    core = (c[1] ?? '') + (c[3] ?? '');
    counter = Number(c[2]);
  }
  const bases: Side['bases'] = [{ base: core, suffix: 'none' }];
  for (let k = 1; k <= SUFFIX.length && k < core.length; k++) {
    if (core.endsWith(SUFFIX.slice(0, k))) {
      bases.push({ base: core.slice(0, -k), suffix: k === SUFFIX.length ? 'full' : 'cut' });
    }
  }
  // On disk a `/` of the title is `_`.
  const t = title ? title.replaceAll('/', '_').normalize('NFC') : null;
  return { name, nfc, counter, cut: core.length >= CUT_LENGTH, core, bases, title: t };
}

/** 0: the same name; 1: only the extension's case differs; -1: different. */
function same(a: string, b: string): number {
  if (a === b) return 0;
  const x = splitExt(a);
  const y = splitExt(b);
  return x.ext !== '' && x.stem === y.stem && x.ext.toLowerCase() === y.ext.toLowerCase() ? 1 : -1;
}

/** `base` is a proper prefix of `target`, the part in its extension compared case-insensitively. */
function isPrefix(base: string, target: string): boolean {
  if (base.length >= target.length) return false;
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || base.length <= dot + 1) return target.startsWith(base);
  return (
    target.startsWith(base.slice(0, dot + 1)) &&
    target
      .slice(dot + 1)
      .toLowerCase()
      .startsWith(base.slice(dot + 1).toLowerCase())
  );
}

function compatible(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const kind = mediaKindOfExt(a);
  return kind !== null && kind === mediaKindOfExt(b);
}

function key(name: string): string {
  const { stem, ext } = splitExt(name);
  return ext === '' ? name : `${stem}.${ext.toLowerCase()}`;
}

function addStem<T>(
  index: Map<string, StemEntry<T>[]>,
  name: string,
  item: T,
  counter: number | null,
): void {
  const { stem, ext } = splitExt(name);
  push(index, stem, { item, ext, counter });
}

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}

function dedupe(sidecars: readonly SidecarCandidate[]): SidecarCandidate[] {
  // The same name twice keeps one, whatever the input order: the smallest title.
  const unique = new Map<string, SidecarCandidate>();
  for (const s of sidecars) {
    const kept = unique.get(s.name);
    if (!kept || compareStrings(s.title ?? '', kept.title ?? '') < 0) unique.set(s.name, s);
  }
  return [...unique.values()];
}

function byName(a: { nfc: string; name: string }, b: { nfc: string; name: string }): number {
  return compareStrings(a.nfc, b.nfc) || compareStrings(a.name, b.name);
}
