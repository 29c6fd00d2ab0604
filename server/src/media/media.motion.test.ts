import { ExifTool } from 'exiftool-vendored';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, uploadFixture, waitForJobs, type TestUser } from '../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../test/test-server.js';
import type { AssetView } from '../modules/assets/assets.view.js';
import { closeMedia, embeddedMotionOf, extractMetadata, sniffFile } from './index.js';
import { readTags } from './media.exiftool.js';
import { corpus, hasCorpus } from './media.testing.js';

const STILL = 'exif-samples/jpg/Canon_40D.jpg';
const VIDEO = 'metadata-extractor/mp4/sample_mpeg4.mp4';
const SAMSUNG_HEIC = 'immich-test-assets/formats/motionphoto/samsung-one-ui-6.heic';

/** Google's Motion Photo 1.0 XMP as a Pixel writes it (Ultra HDR: the primary has no Length). */
const pixelXmp = (gainMap: number, video: number): string => `<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:GCamera="http://ns.google.com/photos/1.0/camera/"
 xmlns:Container="http://ns.google.com/photos/1.0/container/"
 xmlns:Item="http://ns.google.com/photos/1.0/container/item/"
 GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1"
 GCamera:MotionPhotoPresentationTimestampUs="1033133">
<Container:Directory><rdf:Seq>
<rdf:li rdf:parseType="Resource"><Container:Item Item:Semantic="Primary" Item:Mime="image/jpeg"/></rdf:li>
<rdf:li rdf:parseType="Resource"><Container:Item Item:Semantic="GainMap" Item:Mime="image/jpeg" Item:Length="${gainMap}"/></rdf:li>
<rdf:li rdf:parseType="Resource"><Container:Item Item:Semantic="MotionPhoto" Item:Mime="video/mp4" Item:Length="${video}" Item:Padding="0"/></rdf:li>
</rdf:Seq></Container:Directory>
</rdf:Description></rdf:RDF></x:xmpmeta>`;

/** A JPEG with `xmp` as an APP1 segment right after its SOI marker. */
function withXmpSegment(jpeg: Buffer, xmp: string): Buffer {
  const body = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0'), Buffer.from(xmp)]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}

describe.skipIf(!hasCorpus)('motion photos', () => {
  const et = new ExifTool({ maxProcs: 1, taskTimeoutMillis: 20_000, useMWG: false });
  let dir: string;
  let still: Buffer;
  let video: Buffer;
  const files: Record<'microVideo' | 'container' | 'pixel' | 'notVideo' | 'tooLong', string> = {
    microVideo: '',
    container: '',
    pixel: '',
    notVideo: '',
    tooLong: '',
  };

  /** A copy of the still with tags written by exiftool, then `tail` appended. */
  async function motionPhoto(name: string, tail: Buffer, writeArgs: string[]): Promise<string> {
    const file = path.join(dir, name);
    await fsp.writeFile(file, still);
    await et.write(file, {}, { writeArgs: [...writeArgs, '-overwrite_original'] });
    await fsp.appendFile(file, tail);
    return file;
  }

  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-motion-'));
    still = await fsp.readFile(corpus(STILL));
    video = await fsp.readFile(corpus(VIDEO));
    const micro = (offset: number): string[] => [
      '-XMP-GCamera:MicroVideo=1',
      '-XMP-GCamera:MicroVideoVersion=1',
      `-XMP-GCamera:MicroVideoOffset=${offset}`,
    ];
    files.microVideo = await motionPhoto('MVIMG_20190101_101010.jpg', video, micro(video.length));
    files.container = await motionPhoto('PXL_20240101_101010000.MP.jpg', video, [
      '-XMP-GCamera:MotionPhoto=1',
      '-XMP-GCamera:MotionPhotoVersion=1',
      '-XMP-GContainer:ContainerDirectory=[' +
        '{Item={Semantic=Primary,Mime=image/jpeg,Length=0,Padding=0}},' +
        `{Item={Semantic=MotionPhoto,Mime=video/mp4,Length=${video.length},Padding=0}}]`,
    ]);
    const noise = Buffer.alloc(5000, 0x5a);
    files.notVideo = await motionPhoto('MVIMG_noise.jpg', noise, micro(noise.length));
    files.tooLong = await motionPhoto('MVIMG_long.jpg', video, micro(10_000_000));
    // Exiftool writes prefixes of its own (GContainer, GItem): this one is spelled like a Pixel's.
    const gainMap = still.subarray(0, 4000); // stands in for the gain map JPEG
    files.pixel = path.join(dir, 'PXL_20240202_202020000.MP.jpg');
    await fsp.writeFile(
      files.pixel,
      Buffer.concat([
        withXmpSegment(still, pixelXmp(gainMap.length, video.length)),
        gainMap,
        video,
      ]),
    );
  });

  afterAll(async () => {
    await et.end();
    await closeMedia();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  async function motionOf(file: string) {
    const { size } = await fsp.stat(file);
    return { size, motion: embeddedMotionOf(await readTags(file), size) };
  }

  it.each(['microVideo', 'container', 'pixel'] as const)(
    'finds the video of a %s motion photo at the end of the file',
    async (form) => {
      const bytes = await fsp.readFile(files[form]);
      expect(bytes.subarray(bytes.length - video.length).equals(video)).toBe(true);
      const { size, motion } = await motionOf(files[form]);
      expect(motion).toEqual({ start: size - video.length, length: video.length });
      const probe = await sniffFile(files[form]);
      if (probe?.format !== 'jpeg') throw new Error(`not a JPEG: ${files[form]}`);
      const meta = await extractMetadata(files[form], probe, {
        fileName: path.basename(files[form]),
      });
      expect(meta.embeddedMotion).toEqual(motion);
      expect(meta.make).toBe('Canon'); // the rest of the metadata as before
    },
  );

  it('finds none in a plain JPEG or a video', async () => {
    expect((await motionOf(corpus(STILL))).motion).toBeNull();
    const jpeg = { type: 'image', format: 'jpeg', mimeType: 'image/jpeg' } as const;
    const mp4 = { type: 'video', format: 'mp4', mimeType: 'video/mp4' } as const;
    const plain = await extractMetadata(corpus(STILL), jpeg, { fileName: 'Canon_40D.jpg' });
    expect(plain.embeddedMotion).toBeNull();
    const clip = await extractMetadata(corpus(VIDEO), mp4, { fileName: 'clip.mp4' });
    expect(clip.embeddedMotion).toBeNull();
  });

  it('refuses lengths that cannot be', async () => {
    expect((await motionOf(files.tooLong)).motion).toBeNull();
    const micro = { 'XMP-GCamera:MicroVideo': 1, 'XMP-GCamera:MicroVideoOffset': 100 };
    expect(embeddedMotionOf(micro, 1000)).toEqual({ start: 900, length: 100 });
    expect(embeddedMotionOf(micro, 100)).toBeNull(); // the whole file
    expect(embeddedMotionOf(micro, 50)).toBeNull(); // more than the file
    expect(embeddedMotionOf({ ...micro, 'XMP-GCamera:MicroVideoOffset': 0 }, 1000)).toBeNull();
    expect(embeddedMotionOf({ ...micro, 'XMP-GCamera:MicroVideoOffset': -5 }, 1000)).toBeNull();
    expect(embeddedMotionOf({ ...micro, 'XMP-GCamera:MicroVideoOffset': 1.5 }, 1000)).toBeNull();
    expect(embeddedMotionOf({ ...micro, 'XMP-GCamera:MicroVideo': 0 }, 1000)).toBeNull();
    expect(embeddedMotionOf(micro, Number.NaN)).toBeNull();

    const container = {
      'XMP-GCamera:MotionPhoto': 1,
      'XMP-GContainer:DirectoryItemSemantic': ['Primary', 'MotionPhoto'],
      'XMP-GContainer:DirectoryItemLength': [0, 300],
    };
    expect(embeddedMotionOf(container, 1000)).toEqual({ start: 700, length: 300 });
    expect(embeddedMotionOf(container, 300)).toBeNull();
    expect(embeddedMotionOf({ ...container, 'XMP-GCamera:MotionPhoto': 0 }, 1000)).toBeNull();
    const lengths = (l: unknown) => ({ ...container, 'XMP-GContainer:DirectoryItemLength': l });
    expect(embeddedMotionOf(lengths([0, 0]), 1000)).toBeNull();
    expect(embeddedMotionOf(lengths(300), 1000)).toEqual({ start: 700, length: 300 });
    expect(embeddedMotionOf(lengths([1, 2, 3]), 1000)).toBeNull(); // not one per item
    const semantics = {
      ...container,
      'XMP-GContainer:DirectoryItemSemantic': ['Primary', 'GainMap'],
    };
    expect(embeddedMotionOf(semantics, 1000)).toBeNull(); // an Ultra HDR still, no video
    // A broken container does not hide a sound MicroVideo declaration.
    expect(embeddedMotionOf({ ...lengths([0, 5000]), ...micro }, 1000)).toEqual({
      start: 900,
      length: 100,
    });
  });

  it('reads a Samsung One UI 6 HEIC motion photo (video, then Samsung trailer)', async () => {
    const file = corpus(SAMSUNG_HEIC);
    const { size, motion } = await motionOf(file);
    expect(motion).toEqual({ start: 452_284, length: size - 452_284 });
    const head = Buffer.alloc(8);
    const fh = await fsp.open(file, 'r');
    await fh.read(head, 0, 8, motion?.start ?? 0).finally(() => fh.close());
    expect(head.toString('latin1', 4, 8)).toBe('ftyp');
  });

  describe.each(dialects)('through the server on %s', (dialect) => {
    let server: TestServer;
    let user: TestUser;

    beforeAll(async () => {
      server = await startTestServer(dialect);
      user = await createUser(server);
    });
    afterAll(() => server.close());

    const get = async (id: string, kind = ''): Promise<Response> =>
      fetch(`${server.url}/api/assets/${id}${kind}`, { headers: user.headers });
    const asset = async (id: string): Promise<AssetView> =>
      (await api<AssetView>(server, 'GET', `/api/assets/${id}`, { token: user.token })).body;

    it.each(['microVideo', 'container', 'pixel'] as const)(
      'a %s motion photo gets its video as motion part; the original stays as it was',
      async (form) => {
        const upload = await uploadFixture(server, user, files[form]);
        expect(upload.status).toBe(201);
        await waitForJobs(server);
        const { id } = upload.body;
        expect(await asset(id)).toMatchObject({ hasMotion: true, status: 'ready', make: 'Canon' });
        const motion = await get(id, '/motion');
        expect(motion.status).toBe(200);
        expect(motion.headers.get('content-type')).toBe('video/mp4');
        expect(Buffer.from(await motion.arrayBuffer()).equals(video)).toBe(true);
        const original = Buffer.from(await (await get(id, '/original')).arrayBuffer());
        expect(original.equals(await fsp.readFile(files[form]))).toBe(true);

        // A second run of the job changes nothing and leaves no temporary file behind.
        await server.ctx.jobs.enqueue('metadata', { assetId: id });
        await waitForJobs(server);
        expect(await asset(id)).toMatchObject({ hasMotion: true });
        expect(Buffer.from(await (await get(id, '/motion')).arrayBuffer()).equals(video)).toBe(
          true,
        );
        const derived = await fsp.readdir(path.join(server.dataDir, 'tmp', 'derived'));
        expect(derived.filter((f) => f.endsWith('.motion'))).toEqual([]);
      },
    );

    it('a plain JPEG, or one whose declared video is none, has no motion part', async () => {
      for (const file of [corpus(STILL), files.notVideo, files.tooLong]) {
        const upload = await uploadFixture(server, user, file);
        expect(upload.status).toBe(201);
        await waitForJobs(server);
        expect(await asset(upload.body.id)).toMatchObject({
          hasMotion: false,
          status: 'ready',
          error: null,
        });
        expect((await get(upload.body.id, '/motion')).status).toBe(404);
      }
    });
  });
});
