// Preloaded into a process by tests (`node --import tsx/esm --import <this file> …`, as
// outgoing-connections.test.ts starts the server): every attempt to reach the network —
// anything but loopback and Unix sockets — is refused and written, one JSON line each, to the
// file PIXELUNION_NETWORK_LOG names (standard error without it). The process itself keeps
// running: a refused attempt fails the way an unreachable host does (ECONNREFUSED, ENOTFOUND).
//
// The choke points, patched on the shared built-in module objects (and synced to their ESM named
// exports, so `import { connect } from 'node:net'` sees them too):
// - net.Socket.prototype.connect: every TCP client goes through it — net.connect and
//   net.createConnection, tls.connect (a TLSSocket is a net.Socket), http(s).request, fetch
//   (undici), WebSocket, the PostgreSQL and S3 clients. net.connect, net.createConnection and
//   tls.connect are wrapped as well, to refuse before a socket is set up.
// - dns: lookup and lookupService (the system resolver) and every resolve*/reverse query, as
//   callbacks, promises and on Resolver objects; "localhost" and IP literals stay allowed (no
//   query leaves the machine for them).
// - dgram sockets: send and connect to a non-loopback address.
//
// Child processes are outside Node's reach: each spawn is recorded (kind `spawn`, not refused),
// so a test can check which programs ran and that none was given a URL. The server runs two:
// exiftool (Perl; it only reads and writes the files it is given — `-api geolocation` uses its
// bundled offline database — and has no network code on these paths) and ffmpeg, which is
// started with `-protocol_whitelist file` and a demuxer whitelist (media/media.ffmpeg.ts), so
// even a crafted playlist inside a file cannot make it open a URL. Neither makes a connection
// by default. HEIC decoding runs in worker threads (media/media.heic.ts), which Node does not
// preload this file into: they only read and decode the files handed to them (WASM) and load
// no network module.
import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

export interface NetworkAttempt {
  kind: 'tcp' | 'dns' | 'udp' | 'spawn';
  /** host:port, the name looked up, or the program started. */
  target: string;
  /** The function called. */
  via: string;
  /** For a spawn, its arguments. */
  args?: string[];
  refused: boolean;
  stack?: string;
}

const logFile = process.env.PIXELUNION_NETWORK_LOG;

function record(attempt: NetworkAttempt): void {
  const stack = new Error().stack?.split('\n').slice(3, 12).join('\n');
  const line = `${JSON.stringify({ ...attempt, pid: process.pid, stack })}\n`;
  if (logFile) fs.appendFileSync(logFile, line);
  else process.stderr.write(`network-guard: ${line}`);
}

function refusal(code: 'ECONNREFUSED' | 'ENOTFOUND', target: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `network-guard: no outgoing connection allowed (${target})`,
  );
  error.code = code;
  return error;
}

/** Loopback, the unspecified address (which Linux connects to this machine) or no host at all. */
export function isLocalHost(host: string | undefined | null): boolean {
  if (host === undefined || host === null || host === '') return true;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.') || h === '0.0.0.0';
  if (net.isIPv6(h)) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
    if (mapped) return isLocalHost(mapped);
    return h === '::1' || h === '::' || /^(0+:){7}0*1$/.test(h);
  }
  return false;
}

interface ConnectTarget {
  host?: string;
  port?: unknown;
  path?: string;
}

/** Where a connect call goes, from any of its signatures (Node passes normalised arrays too). */
function connectTarget(args: readonly unknown[]): ConnectTarget {
  const first: unknown = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { host?: unknown; port?: unknown; path?: unknown };
    return {
      host: typeof options.host === 'string' ? options.host : undefined,
      port: options.port,
      path: typeof options.path === 'string' ? options.path : undefined,
    };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
}

/** The destination when it is outside this machine, else null. */
function outgoing(target: ConnectTarget): string | null {
  if (target.path !== undefined) return null;
  if (isLocalHost(target.host)) return null;
  return `${target.host ?? ''}:${String(target.port)}`;
}

// TCP (and TLS, HTTP, fetch: all of them connect a net.Socket).
type SocketConnect = (this: net.Socket, ...args: unknown[]) => net.Socket;
const socketPrototype = net.Socket.prototype as unknown as Record<string, unknown>;
const socketConnect = socketPrototype.connect as SocketConnect;
const guardedSocketConnect: SocketConnect = function (...args) {
  const destination = outgoing(connectTarget(args));
  if (destination === null) return socketConnect.apply(this, args);
  record({ kind: 'tcp', target: destination, via: 'net.Socket.connect', refused: true });
  const error = refusal('ECONNREFUSED', destination);
  process.nextTick(() => {
    this.destroy(error);
  });
  return this;
};
socketPrototype.connect = guardedSocketConnect;

function refusedSocket(via: string, destination: string): net.Socket {
  record({ kind: 'tcp', target: destination, via, refused: true });
  const socket = new net.Socket();
  const error = refusal('ECONNREFUSED', destination);
  process.nextTick(() => {
    socket.destroy(error);
  });
  return socket;
}

type Connect = (...args: unknown[]) => net.Socket;
function guardConnect(original: Connect, via: string): Connect {
  return (...args) => {
    const destination = outgoing(connectTarget(args));
    return destination === null ? original(...args) : refusedSocket(via, destination);
  };
}
const netConnect = guardConnect(net.connect as Connect, 'net.connect');
net.connect = netConnect;
net.createConnection = guardConnect(net.createConnection as Connect, 'net.createConnection');
tls.connect = guardConnect(tls.connect as Connect, 'tls.connect') as typeof tls.connect;

// DNS.
type Callback = (error: NodeJS.ErrnoException | null, ...results: unknown[]) => void;
type Fn = (...args: unknown[]) => unknown;

function lastCallback(args: readonly unknown[]): Callback | undefined {
  const last = args[args.length - 1];
  return typeof last === 'function' ? (last as Callback) : undefined;
}

/** A query for `name` by `via`: run when `allowed(name)`, else recorded and failed. */
function guardQuery(
  original: Fn,
  via: string,
  promise: boolean,
  allowed: (name: string) => boolean,
): Fn {
  return function (this: unknown, ...args: unknown[]) {
    const name = typeof args[0] === 'string' ? args[0] : String(args[0]);
    if (allowed(name)) return original.apply(this, args);
    record({ kind: 'dns', target: name, via, refused: true });
    const error = refusal('ENOTFOUND', name);
    if (promise) return Promise.reject(error);
    const callback = lastCallback(args);
    if (callback)
      process.nextTick(() => {
        callback(error);
      });
    return undefined;
  };
}

/** A lookup of "localhost" reads /etc/hosts; one of an IP literal only parses it. */
const lookupAllowed = (name: string) => isLocalHost(name) || net.isIP(name) !== 0;
/** A reverse lookup asks a DNS server unless the address is this machine's. */
const reverseAllowed = (address: string) => isLocalHost(address);
/** Resolver queries always go to a DNS server, even for "localhost". */
const never = () => false;

const RESOLVE = [
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCaa',
  'resolveCname',
  'resolveMx',
  'resolveNaptr',
  'resolveNs',
  'resolvePtr',
  'resolveSoa',
  'resolveSrv',
  'resolveTxt',
  'reverse',
] as const;

function guardResolvers(target: object, prefix: string, promise: boolean): void {
  const methods = target as Record<string, unknown>;
  for (const name of RESOLVE) {
    const original = methods[name];
    if (typeof original === 'function') {
      methods[name] = guardQuery(original as Fn, `${prefix}.${name}`, promise, never);
    }
  }
}

const dnsModule = dns as unknown as Record<string, unknown>;
const promisesModule = dns.promises as unknown as Record<string, unknown>;
dnsModule.lookup = guardQuery(dns.lookup as Fn, 'dns.lookup', false, lookupAllowed);
promisesModule.lookup = guardQuery(
  dns.promises.lookup as Fn,
  'dns.promises.lookup',
  true,
  lookupAllowed,
);
dnsModule.lookupService = guardQuery(
  dns.lookupService as Fn,
  'dns.lookupService',
  false,
  reverseAllowed,
);
promisesModule.lookupService = guardQuery(
  dns.promises.lookupService as Fn,
  'dns.promises.lookupService',
  true,
  reverseAllowed,
);
guardResolvers(dns, 'dns', false);
guardResolvers(dns.Resolver.prototype, 'dns.Resolver', false);
guardResolvers(dns.promises, 'dns.promises', true);
guardResolvers(dns.promises.Resolver.prototype, 'dns.promises.Resolver', true);

// UDP.
type DgramFn = (this: dgram.Socket, ...args: unknown[]) => unknown;
const dgramPrototype = dgram.Socket.prototype as unknown as Record<string, unknown>;
const dgramSend = dgramPrototype.send as DgramFn;
const dgramConnect = dgramPrototype.connect as DgramFn;

function refuseUdp(socket: dgram.Socket, via: string, destination: string, args: unknown[]) {
  record({ kind: 'udp', target: destination, via, refused: true });
  const error = refusal('ECONNREFUSED', destination);
  const callback = lastCallback(args);
  process.nextTick(() => {
    if (callback) callback(error);
    else if (socket.listenerCount('error') > 0) socket.emit('error', error);
  });
}

const guardedSend: DgramFn = function (...args) {
  // send(msg, offset, length, port, address, cb) or send(msg, port, address, cb); without an
  // address a connected socket uses its peer (checked at connect), else localhost.
  const withOffset = typeof args[3] === 'number' || typeof args[3] === 'string';
  const port = withOffset ? args[3] : args[1];
  const address = withOffset ? args[4] : args[2];
  if (typeof address !== 'string' || isLocalHost(address)) return dgramSend.apply(this, args);
  refuseUdp(this, 'dgram.Socket.send', `${address}:${String(port)}`, args);
  return undefined;
};
const guardedDgramConnect: DgramFn = function (...args) {
  const address = args[1];
  if (typeof address !== 'string' || isLocalHost(address)) return dgramConnect.apply(this, args);
  refuseUdp(this, 'dgram.Socket.connect', `${address}:${String(args[0])}`, args);
  return undefined;
};
dgramPrototype.send = guardedSend;
dgramPrototype.connect = guardedDgramConnect;

// Child processes: recorded, not refused (see the top of this file).
const childModule = childProcess as unknown as Record<string, unknown>;
for (const name of [
  'spawn',
  'spawnSync',
  'execFile',
  'execFileSync',
  'exec',
  'execSync',
  'fork',
] as const) {
  const original = childModule[name];
  if (typeof original !== 'function') continue;
  childModule[name] = function (this: unknown, ...args: unknown[]) {
    const command = typeof args[0] === 'string' ? args[0] : String(args[0]);
    const list = Array.isArray(args[1]) ? (args[1] as unknown[]).map(String) : [];
    record({
      kind: 'spawn',
      target: command,
      via: `child_process.${name}`,
      args: list,
      refused: false,
    });
    return (original as Fn).apply(this, args);
  };
}

syncBuiltinESMExports();
