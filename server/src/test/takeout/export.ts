// A synthetic Google Takeout export, split into parts, with the expected outcome of every entry.
import { ExportBuilder } from './export.builder.js';
import { addAlbumCases, addFolderAndFlagCases } from './export.cases.js';
import { addDateCases, addLiveAndVideoCases } from './export.cases-dates.js';
import { addEditedCases, addNamingCases } from './export.cases-names.js';
import { addBomb, addOtherCases } from './export.cases-others.js';
import { MediaMaker, prng } from './export.media.js';
import type { GeneratedExport, GenerateOptions, PlannedEntry } from './export.types.js';
import { writeParts } from './export.write.js';

export type * from './export.types.js';

/** Shuffles entries within their parts (seeded), so sidecars come before or after their media. */
function shuffle(entries: PlannedEntry[], seed: number): PlannedEntry[] {
  const random = prng(seed);
  const out = [...entries];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as PlannedEntry, out[i] as PlannedEntry];
  }
  return out;
}

/**
 * Writes `parts` zip or tgz files into `dir` (takeout-20261126T000000Z-001.zip …) holding every
 * case of TAKEOUT.md, and returns what an importer must make of each entry. The same seed gives
 * the same entries; with 3 parts or more, the cases meant to span parts do.
 */
export async function generateTakeoutExport(options: GenerateOptions): Promise<GeneratedExport> {
  if (!Number.isInteger(options.parts) || options.parts < 1) {
    throw new Error(`parts must be a positive integer, not ${String(options.parts)}`);
  }
  const seed = options.seed ?? 1;
  const media = await MediaMaker.open(seed);
  try {
    const b = new ExportBuilder(options.parts, options.format, media);
    await addAlbumCases(b);
    await addFolderAndFlagCases(b);
    await addNamingCases(b);
    await addEditedCases(b);
    await addDateCases(b);
    await addLiveAndVideoCases(b);
    addOtherCases(b);
    const entries = shuffle(b.entries, seed);
    const shuffled = entries.length;
    addBomb(b); // always last
    entries.push(...b.entries.slice(shuffled));
    if (options.parts < 3) {
      b.notes.push(`${String(options.parts)} part(s): cases meant to span 3 parts share fewer`);
    }
    const parts = await writeParts(
      { dir: options.dir, format: options.format, parts: options.parts },
      (p) => entries.filter((e) => e.part === p),
    );
    return {
      parts,
      assets: b.assets,
      others: b.others,
      albums: b.expectedAlbums(),
      notes: b.notes,
    };
  } finally {
    await media.close();
  }
}
