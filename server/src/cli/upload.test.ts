import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser, photo, waitForJobs, type TestUser } from '../test/factories.js';
import { startTestServer, type TestServer } from '../test/test-server.js';
import { ApiClient, type UploadOutcome } from './api-client.js';
import { runCli } from './cli.testing.js';
import { uploadPaths } from './upload.command.js';

/** Counts the files the CLI really sends. */
class CountingClient extends ApiClient {
  sent: string[] = [];
  override upload(file: string): Promise<UploadOutcome> {
    this.sent.push(file);
    return super.upload(file);
  }
}

describe('pixelunion upload', () => {
  let server: TestServer;
  let user: TestUser;
  let apiKey: string;
  let folder: string;

  beforeAll(async () => {
    server = await startTestServer();
    user = await createUser(server);
    apiKey = await createApiKey(server, user);
    folder = await fsp.mkdtemp(path.join(server.dataDir, 'cli-'));
    await fsp.mkdir(path.join(folder, 'nested', 'deeper'), { recursive: true });
    await fsp.copyFile(photo('exif-samples/jpg/gps/DSCN0025.jpg'), path.join(folder, 'a.jpg'));
    await fsp.copyFile(
      photo('exif-samples/jpg/gps/DSCN0027.jpg'),
      path.join(folder, 'nested', 'b.jpg'),
    );
    await fsp.copyFile(
      photo('exif-samples/jpg/gps/DSCN0027.jpg'),
      path.join(folder, 'nested', 'deeper', 'same-as-b.JPG'),
    );
    await fsp.copyFile(
      photo('metadata-extractor/mov/with-gps.mov'),
      path.join(folder, 'nested', 'clip.mov'),
    );
    await fsp.writeFile(path.join(folder, 'nested', 'broken.jpg'), 'not an image');
    await fsp.writeFile(path.join(folder, 'notes.txt'), 'not media: not sent');
  });
  afterAll(() => server.close());

  it('uploads folders recursively, then skips by checksum without sending', async () => {
    const first = new CountingClient(server.url, apiKey);
    const summary = await uploadPaths(first, [folder], { concurrency: 2 });
    expect(summary.uploaded).toBe(3);
    expect(summary.duplicates).toBe(1);
    expect(summary.failed).toEqual([
      {
        file: path.join(folder, 'nested', 'broken.jpg'),
        reason: expect.stringContaining('415') as string,
      },
    ]);
    expect(first.sent).not.toContain(path.join(folder, 'notes.txt'));

    const second = new CountingClient(server.url, apiKey);
    const again = await uploadPaths(second, [folder], { concurrency: 2 });
    expect(again).toMatchObject({ uploaded: 0, duplicates: 4 });
    expect(second.sent).toEqual([path.join(folder, 'nested', 'broken.jpg')]);
    await waitForJobs(server);
  });

  it('prints a summary and exits non-zero when a file failed', async () => {
    const result = await runCli(['upload', folder, '--server', server.url, '--api-key', apiKey]);
    expect(result.stdout).toContain('uploaded: 0');
    expect(result.stdout).toContain('duplicate: 4');
    expect(result.stdout).toContain('failed: 1');
    expect(result.stdout).toContain('broken.jpg');
    expect(result.status).toBe(1);
  });

  it('says what is missing and refuses a bad key', async () => {
    const missing = await runCli(['upload', folder]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Missing --server');
    const bad = await runCli(['upload', folder, '--server', server.url, '--api-key', 'pua_wrong']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('401');
  });
});
