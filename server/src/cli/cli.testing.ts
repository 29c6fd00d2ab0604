// Test support for the command line: the CLI run as a child process, and a proxy that counts,
// slows or cuts what the CLI sends to a server.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const bin = path.resolve(import.meta.dirname, '../../../bin/pixelunion.mjs');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `pixelunion <args>` as a child process (asynchronously: the server runs in this
 * process). PIXELUNION_SERVER and PIXELUNION_API_KEY are cleared unless `env` gives them.
 */
export function startCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, PIXELUNION_SERVER: '', PIXELUNION_API_KEY: '', ...options.env },
  });
  const run: CliRun = { status: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (status) => {
      run.status = status;
      resolve(run);
    });
  });
  return { child, run, done };
}

export const runCli = (
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> => startCli(args, options).done;

/**
 * A TCP proxy in front of the server that counts the bytes sent to it, and can slow them down
 * (`bytesPerSecond`) or cut the connection once `cutAt` bytes have passed.
 */
export async function startProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const state = { upstream: 0, bytesPerSecond: 0, cutAt: null as number | null };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.pipe(client);
    void (async () => {
      for await (const chunk of client as AsyncIterable<Buffer>) {
        state.upstream += chunk.length;
        if (state.cutAt !== null && state.upstream >= state.cutAt) {
          state.cutAt = null;
          end();
          return;
        }
        if (!upstream.write(chunk)) await once(upstream, 'drain');
        if (state.bytesPerSecond > 0) await sleep((chunk.length / state.bytesPerSecond) * 1000);
      }
      upstream.end();
    })().catch(end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as net.AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}
