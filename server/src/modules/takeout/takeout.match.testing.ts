// Test support for the matching tables: candidates, expectations and Google's way of naming JSONs.
import path from 'node:path';
import { expect } from 'vitest';
import { matchSidecars, type MatchHow, type SidecarCandidate } from './takeout.match.js';
export const CORPUS = path.resolve(import.meta.dirname, '../../../../../shared/corpus/takeout');

export type Side = string | [name: string, title: string];
/** media[i] ↔ sides[j] by `how`; a bare MatchHow means media[0] ↔ sides[0]; null: nothing matches. */
export type Want = MatchHow | null | [media: number, side: number, how: MatchHow][];
export type Case = [label: string, media: string[], sides: Side[], want: Want];

export const candidates = (sides: readonly Side[]): SidecarCandidate[] =>
  sides.map((s) =>
    typeof s === 'string' ? { name: s, title: null } : { name: s[0], title: s[1] },
  );
export const run = (
  media: readonly string[],
  sides: readonly Side[],
): Record<string, [string, string]> =>
  Object.fromEntries(
    [...matchSidecars(media, candidates(sides))].map(([m, r]) => [m, [r.sidecar, r.how]]),
  );
export const expected = (
  media: string[],
  sides: Side[],
  want: Want,
): Record<string, [string, string]> => {
  const pairs: [number, number, MatchHow][] =
    want === null ? [] : typeof want === 'string' ? [[0, 0, want]] : want;
  const out: Record<string, [string, string]> = {};
  for (const [m, s, how] of pairs) out[media[m] ?? ''] = [candidates(sides)[s]?.name ?? '', how];
  return out;
};
export const check = (_label: string, media: string[], sides: Side[], want: Want): void => {
  expect(run(media, sides)).toEqual(expected(media, sides, want));
};

export const SUFFIX = '.supplemental-metadata';
/** The JSON name Google writes for a title: `<title><suffix>` cut to 46 characters (code points), then the counter, then `.json`. */
export function jsonName(title: string, { suffix = '', counter = '' } = {}): string {
  const head = Array.from(title + suffix) // code points
    .slice(0, 46)
    .join('');
  return `${head}${counter}.json`;
}
export const newStyle = (title: string): string => jsonName(title, { suffix: SUFFIX });

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export const UUID = 'original_1d4caa6f-16c6-4c3d-901b-9387de10e528_';
export const LONG = 'a_very_long_file_name_that_google_had_to_cut_short_2019'; // 55 characters
export const LIVE = 'A_long_live_photo_name_from_an_iphone_export_1234'; // 49 characters
export const ORIGINAL = 'PXL_20230809_20344925.LONG_EXPOSURE-02.ORIGINAL.jpg';
export const PORTRAIT = 'PXL_20220405_090123740.PORTRAIT';
export const EMOJI = '😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋';
export const BACKYARD = 'Backyard_ceremony_wedding_photography_xxxxxxx_';
export const FB = '13039_327707840323_537645323_9470255_27214_n';
