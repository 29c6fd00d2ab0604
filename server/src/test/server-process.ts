import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve(import.meta.dirname, '../../../bin/pixelunion.mjs');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Ends the process with SIGKILL: no shutdown code runs, as in a power cut. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Everything the process wrote so far, standard output and error. */
  output(): string;
}

/** A server process from its spawn on, before it listens. */
export interface SpawnedServer {
  child: ChildProcess;
  output(): string;
  /** Resolves once it listens; rejects if it exits before. */
  listening: Promise<ServerProcess>;
  /** Ends it with SIGTERM (if still running) and waits for its exit. */
  stop(): Promise<void>;
}

/**
 * Starts `pixelunion serve` as a real child process on a free port, resolving once it listens.
 * `nodeArgs` go to node before the entry point (e.g. `--import` of a preloaded module).
 */
export function startServerProcess(
  env: Record<string, string>,
  options: { nodeArgs?: readonly string[] } = {},
): Promise<ServerProcess> {
  return spawnServer(env, options).listening;
}

/** Spawns `pixelunion serve` as startServerProcess does, for tests of what happens before it listens. */
export function spawnServer(
  env: Record<string, string>,
  options: { nodeArgs?: readonly string[] } = {},
): SpawnedServer {
  // The database and the queue are the caller's choice: a DATABASE_URL or REDIS_URL of the test
  // run (CI sets both) would otherwise turn an embedded test into one on the shared PostgreSQL
  // database, or on BullMQ under a prefix other servers share.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && key !== 'REDIS_URL'),
  );
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, 'serve'], {
    env: { ...inherited, PORT: '0', PIXELUNION_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  let output = '';
  const listening = new Promise<ServerProcess>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        resolve({
          url: match[1],
          child,
          kill: () => end('SIGKILL'),
          stop: () => end('SIGTERM'),
          output: () => output,
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      reject(new Error(`server exited with ${String(code)} before listening:\n${output}`));
    });
  });
  return { child, output: () => output, listening, stop: () => end('SIGTERM') };
}
