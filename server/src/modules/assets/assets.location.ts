import fsp from 'node:fs/promises';
import { DomainError } from '../../errors.js';
import { locationTags, stripMetadata } from '../../media/index.js';
import type { ImportedFacts } from './assets.imported.js';

/**
 * "Don't keep where my photos were taken" (`users.strip_location`): the location of a new
 * original is removed at ingest, before its row exists and before it moves into the library, by
 * the same exiftool strip (scope `location`) that share links use, failing closed (a file whose
 * location cannot be removed is refused). A file that carries no location is kept byte for byte.
 *
 * The stripped file replaces `file` under the same name (`tmp/uploads/<asset id>`), so the crash
 * protocol is unchanged: the `.location` copy of an interrupted strip has no row and is swept at
 * start. Answers the size of the file as it will be stored. The asset's checksum stays the SHA-1
 * of the bytes as uploaded (see AssetsService.ingest).
 */
export async function removeLocation(
  file: string,
  mimeType: string,
  filename: string,
): Promise<number> {
  const refuse = (error: unknown) =>
    new DomainError(
      'UNSUPPORTED_MEDIA',
      `The location of ${filename} could not be removed: ${(error as Error).message}`,
    );
  let found: string[];
  try {
    found = await locationTags(file);
  } catch (error) {
    throw refuse(error);
  }
  if (found.length > 0) {
    const stripped = `${file}.location`;
    try {
      await stripMetadata(file, stripped, mimeType, 'location');
      await fsp.rename(stripped, file);
    } catch (error) {
      throw error instanceof DomainError ? error : refuse(error);
    } finally {
      await fsp.rm(stripped, { force: true });
    }
  }
  return (await fsp.stat(file)).size;
}

/** An import's facts without its place (Google's `geoData`), for an owner who keeps none. */
export function withoutLocation(facts: ImportedFacts | undefined): ImportedFacts | undefined {
  if (!facts?.location) return facts;
  return { ...facts, location: undefined };
}
