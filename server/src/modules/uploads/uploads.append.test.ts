import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { appendToFile } from './uploads.append.js';

describe('appendToFile', () => {
  it('gives up on a body that stops sending, keeping the bytes that came', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-append-'));
    const file = path.join(dir, 'upload');
    await fsp.writeFile(file, '');
    const source = new PassThrough();
    source.write(Buffer.alloc(1000, 1));
    const limit = { bytes: 10_000, error: () => new Error('too many') };
    const outcome = await appendToFile(source, file, 0, limit, new AbortController().signal, 300);
    expect(outcome.size).toBe(1000);
    expect(outcome.failure?.message).toMatch(/no bytes arrived/);
    await fsp.rm(dir, { recursive: true, force: true });
  });
});
