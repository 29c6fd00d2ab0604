import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptsIn, guardArgs } from './network-guard.testing.js';

// The guard outgoing-connections.test.ts relies on: it must see and refuse every way out.

let scratch = '';
beforeAll(async () => {
  scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-guard-'));
});
afterAll(() => fsp.rm(scratch, { recursive: true, force: true }));

describe('the network guard', () => {
  it('records and refuses fetch, DNS, TCP, TLS and UDP, and lets loopback through', async () => {
    const log = path.join(scratch, 'probe.jsonl');
    const probe = `
      import dgram from 'node:dgram';
      import dns from 'node:dns';
      import net from 'node:net';
      import tls from 'node:tls';
      const outcome = (promise) => promise.then(() => 'reached', (e) => e.cause?.code ?? e.code);
      const socketOutcome = (socket, event) => new Promise((resolve) => {
        socket.on('error', (e) => resolve(e.code));
        socket.on(event, () => { socket.destroy(); resolve('reached'); });
      });
      const results = {
        fetch: await outcome(fetch('http://example.com')),
        lookup: await new Promise((resolve) => dns.lookup('example.com', (e) => resolve(e?.code ?? 'reached'))),
        promisesLookup: await outcome(dns.promises.lookup('example.com')),
        resolve: await outcome(dns.promises.resolve4('example.com')),
        socket: await socketOutcome(new net.Socket().connect(80, 'example.com'), 'connect'),
        netConnect: await socketOutcome(net.connect(443, '93.184.215.14'), 'connect'),
        tls: await socketOutcome(tls.connect({ host: 'example.org', port: 443 }), 'secureConnect'),
        udp: await new Promise((resolve) => {
          const socket = dgram.createSocket('udp4');
          socket.send(Buffer.from('x'), 53, '9.9.9.9', (e) => { socket.close(); resolve(e?.code ?? 'reached'); });
        }),
        loopback: await new Promise((resolve) => {
          const server = net.createServer((c) => c.end('hello')).listen(0, '127.0.0.1', () => {
            const client = net.connect(server.address().port, 'localhost');
            client.on('data', (d) => { server.close(); resolve(String(d)); });
            client.on('error', (e) => resolve(e.code));
          });
        }),
        localLookup: await outcome(dns.promises.lookup('localhost')),
      };
      process.stdout.write(JSON.stringify(results));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...guardArgs, '--input-type=module', '--eval', probe],
      { env: { ...process.env, PIXELUNION_NETWORK_LOG: log }, timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      fetch: 'ECONNREFUSED',
      lookup: 'ENOTFOUND',
      promisesLookup: 'ENOTFOUND',
      resolve: 'ENOTFOUND',
      socket: 'ECONNREFUSED',
      netConnect: 'ECONNREFUSED',
      tls: 'ECONNREFUSED',
      udp: 'ECONNREFUSED',
      loopback: 'hello',
      localLookup: 'reached',
    });
    const recorded = (await attemptsIn(log)).map(({ kind, target, refused }) => ({
      kind,
      target,
      refused,
    }));
    expect(recorded).toEqual([
      { kind: 'tcp', target: 'example.com:80', refused: true },
      { kind: 'dns', target: 'example.com', refused: true },
      { kind: 'dns', target: 'example.com', refused: true },
      { kind: 'dns', target: 'example.com', refused: true },
      { kind: 'tcp', target: 'example.com:80', refused: true },
      { kind: 'tcp', target: '93.184.215.14:443', refused: true },
      { kind: 'tcp', target: 'example.org:443', refused: true },
      { kind: 'udp', target: '9.9.9.9:53', refused: true },
    ]);
  });
});
