// Test support for the roles tests: the photo and the user they share, and a proxy that holds
// requests to object storage.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { photo } from './test/factories.js';
import { signUp as signUpAs } from './test/processes.testing.js';

export const bigPhoto = photo('exif-samples/jpg/mobile/HMD_Nokia_8.3_5G.jpg');
export const credentials = {
  email: 'roles@example.org',
  password: 'a long password',
  name: 'Roles',
};
/** The roles user, first of the server at `url` and signed in: the headers of their requests. */
export const signUp = (url: string): Promise<Record<string, string>> => signUpAs(url, credentials);

const downloadOfOriginal = (method: string, url: string) =>
  method === 'GET' && url.includes('/originals/');

/**
 * A loopback HTTP proxy in front of object storage that holds the requests `holds` picks (every
 * download of an original by default) until `release()`: a job reading an original is then
 * running for as long as the test wants.
 */
export async function startHoldingProxy(
  target: string,
  holds: (method: string, url: string) => boolean = downloadOfOriginal,
): Promise<{
  endpoint: string;
  held: Promise<void>;
  release(): void;
  close(): Promise<void>;
}> {
  const upstream = new URL(target);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let onHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    onHeld = resolve;
  });
  const server = http.createServer((request, response) => {
    const forward = () => {
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      out.on('error', () => response.destroy());
      request.pipe(out);
    };
    if (holds(request.method ?? '', request.url ?? '')) {
      onHeld();
      void gate.then(forward);
    } else {
      forward();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    release: () => {
      release();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
