import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeMedia,
  extractMetadata,
  generateThumbnails,
  MediaUnreadableError,
  sniffFile,
} from './index.js';
import { corpus, eachLimit, hasCorpus, withTempDir } from './media.testing.js';

afterAll(closeMedia);

/** Resolves to 'ok' or 'unreadable'; anything else (another error, a hang) fails the test. */
async function outcome(work: Promise<unknown>): Promise<'ok' | 'unreadable'> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    if (err instanceof MediaUnreadableError) return 'unreadable';
    throw err;
  }
}

describe.skipIf(!hasCorpus)('150 files that once crashed a metadata parser', () => {
  it('each is refused, or gives metadata and thumbnails or MediaUnreadableError', async () => {
    const dir = corpus('metadata-extractor/fuzzing');
    const files = (await readdir(dir)).sort();
    expect(files.length).toBe(150);
    const tally = { refused: 0, metadata: 0, thumbnails: 0, unreadable: 0 };
    await withTempDir(async (out) => {
      await eachLimit(files, 4, async (name) => {
        const path = join(dir, name);
        const probe = await sniffFile(path);
        if (!probe) {
          tally.refused++;
          return;
        }
        const meta = await extractMetadata(path, probe, { fileName: basename(path) });
        expect(meta.dateSource).toBeDefined();
        tally.metadata++;
        const thumbs = generateThumbnails(path, probe, {
          thumbnailPath: join(out, `${name}.webp`),
          previewPath: join(out, `${name}.jpg`),
        });
        if ((await outcome(thumbs)) === 'ok') tally.thumbnails++;
        else tally.unreadable++;
      });
    });
    expect(tally.refused + tally.metadata).toBe(150);
    expect(tally.thumbnails + tally.unreadable).toBe(tally.metadata);
  });
});
