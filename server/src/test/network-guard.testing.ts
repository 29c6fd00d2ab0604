import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NetworkAttempt } from './network-guard.js';

const guardFile = path.join(import.meta.dirname, 'network-guard.ts');

/** Node arguments that preload network-guard.ts (through tsx) into a child process. */
export const guardArgs = [
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href,
  '--import',
  pathToFileURL(guardFile).href,
];

/** What a guarded process recorded in its PIXELUNION_NETWORK_LOG file. */
export async function attemptsIn(file: string): Promise<NetworkAttempt[]> {
  const text = await fsp.readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as NetworkAttempt);
}
