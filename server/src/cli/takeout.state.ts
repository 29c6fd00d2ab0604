// The CLI's state file: what a later run of import-takeout needs to continue where this one stopped.
import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** What a later run needs to continue: the import, and for each part its upload or its id. */
export interface ImportState {
  version: 1;
  server: string;
  importId: string;
  parts: Record<string, { size: number; mtimeMs: number; url?: string; partId?: string }>;
}

export const serverKey = (server: string) => new URL(server).href.replace(/\/+$/, '');

/** `.pixelunion-takeout-<hash>.json` in the current folder, for this server and these parts. */
export function defaultStateFile(server: string, files: readonly string[]): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([serverKey(server), [...files].sort()]))
    .digest('hex')
    .slice(0, 16);
  return path.resolve(`.pixelunion-takeout-${hash}.json`);
}

export async function readState(
  file: string,
  log: (line: string) => void,
): Promise<ImportState | null> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const state = JSON.parse(text) as Partial<Record<keyof ImportState, unknown>> | null;
    if (state?.version === 1 && typeof state.importId === 'string' && state.parts) {
      return state as ImportState;
    }
  } catch {
    // reported below
  }
  log(`Ignoring ${file}: it is not a state file this version understands.`);
  return null;
}

// The state writes of this process, one after the other: Ctrl-C waits for the last one.
let stateWrites: Promise<void> = Promise.resolve();

/** Written to a temporary file, then renamed: a crash leaves the old state or the new one. */
export function writeState(file: string, state: ImportState): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  const write = stateWrites.then(async () => {
    await fsp.writeFile(`${file}.tmp`, text);
    await fsp.rename(`${file}.tmp`, file);
  });
  stateWrites = write.catch(() => undefined);
  return write;
}

/** Settles once every state write started so far is on disk (Ctrl-C waits for it). */
export const stateWritten = (): Promise<void> => stateWrites;
