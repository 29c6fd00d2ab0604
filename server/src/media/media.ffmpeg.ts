import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { MediaToolError } from './media.errors.js';

const FRAME_TIMEOUT_MS = 30_000;
const MAX_FRAME_BYTES = 256 * 1024 * 1024;

const running = new Set<ChildProcess>();
const stopped = new WeakSet<ChildProcess>();

let ffmpegPath: string | null = null;

/** PIXELUNION_FFMPEG, else the binary shipped in @ffmpeg-installer/ffmpeg. */
export function ffmpegBinary(): string {
  if (ffmpegPath) return ffmpegPath;
  const fromEnv = process.env.PIXELUNION_FFMPEG;
  if (fromEnv) return (ffmpegPath = fromEnv);
  try {
    const installer = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as {
      path: string;
    };
    return (ffmpegPath = installer.path);
  } catch (err) {
    throw new MediaToolError(`no ffmpeg: ${(err as Error).message}`);
  }
}

/** ffmpeg's complaint in a few words, without the file's path. */
function summarize(stderr: string, path: string): string {
  if (stderr.includes('matches no streams')) return 'no video stream';
  const last = stderr.trim().split('\n').filter(Boolean).pop()?.trim() ?? '';
  return last.split(`file:${path}`).join('input').split(path).join('input');
}

/** Runs ffmpeg (no shell) and collects stdout; rejects with the end of stderr on failure. */
function run(args: string[], path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: string | null = null;
    const timer = setTimeout(() => {
      failure = `timed out after ${FRAME_TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, FRAME_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_FRAME_BYTES) {
        failure = 'frame too large';
        child.kill('SIGKILL');
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-2000);
    });
    let spawnError: Error | null = null;
    child.on('error', (e) => {
      spawnError = new MediaToolError(`cannot run ffmpeg: ${e.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      if (spawnError) reject(spawnError);
      else if (stopped.has(child)) reject(new MediaToolError('ffmpeg stopped: media layer closed'));
      else if (failure !== null) reject(new Error(failure));
      else if (code !== 0) reject(new Error(summarize(err, path) || `ffmpeg exited with ${code}`));
      else resolve(Buffer.concat(out));
    });
  });
}

// Only plain local files through the demuxers we accept: a crafted file must not be able to make
// ffmpeg open playlists, URLs or other files (the HLS-in-AVI class of exploits).
const SAFE_INPUT = [
  '-protocol_whitelist',
  'file',
  '-format_whitelist',
  'mov,avi,matroska,mpegts,image2,jpeg_pipe,png_pipe,tiff_pipe,webp_pipe,gif',
];

const frameArgs = (path: string, seekSeconds: number | null): string[] => [
  '-hide_banner',
  '-nostdin',
  '-loglevel',
  'error',
  ...SAFE_INPUT,
  ...(seekSeconds === null ? [] : ['-ss', String(seekSeconds)]),
  '-i',
  `file:${path}`,
  '-map',
  '0:v:0',
  '-frames:v',
  '1',
  '-an',
  '-sn',
  // square pixels (anamorphic DV/DVD), 8-bit RGB; ffmpeg already applies the rotation matrix
  '-vf',
  "scale='if(gt(sar,0),trunc(iw*sar/2)*2,iw)':ih,setsar=1",
  '-pix_fmt',
  'rgb24',
  '-f',
  'image2pipe',
  '-c:v',
  'png',
  '-compression_level',
  '1',
  'pipe:1',
];

/**
 * A PNG of the frame at ~1 s (or the first frame of a shorter video). Also decodes single
 * images that libvips refuses (damaged JPEGs), without applying EXIF orientation.
 */
export async function extractFrame(path: string, atSeconds: number | null = 1): Promise<Buffer> {
  if (atSeconds !== null) {
    const frame = await run(frameArgs(path, atSeconds), path).catch((err: unknown) => {
      if (err instanceof MediaToolError) throw err;
      return Buffer.alloc(0);
    });
    if (frame.length > 0) return frame;
  }
  const first = await run(frameArgs(path, null), path);
  if (first.length === 0) throw new Error('no video frame could be decoded');
  return first;
}

export function killFfmpeg(): void {
  for (const child of running) {
    stopped.add(child);
    child.kill('SIGKILL');
  }
}
