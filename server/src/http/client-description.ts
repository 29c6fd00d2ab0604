import net from 'node:net';

const browsers: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|Chromium\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/^Wget\//, 'Wget'],
  [/^node$|undici/i, 'Node.js'],
];
const systems: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/**
 * The address with its host part hidden: an IPv4 address keeps its first two numbers
 * (192.168.x.x), an IPv6 address its first three groups (a /48, one site).
 */
export function coarseAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped?.[1] ?? ip;
  if (net.isIPv4(address)) {
    const [a, b] = address.split('.');
    return `${a ?? 'x'}.${b ?? 'x'}.x.x`;
  }
  if (net.isIPv6(address)) {
    const [head = '', tail = ''] = address.split('::');
    const groups = [...head.split(':').filter(Boolean)];
    if (groups.length < 3) {
      const tailGroups = tail.split(':').filter(Boolean);
      const missing = 8 - groups.length - tailGroups.length;
      groups.push(...Array.from({ length: missing }, () => '0'), ...tailGroups);
    }
    return `${groups.slice(0, 3).join(':')}:x:x:x:x:x`;
  }
  return 'unknown address';
}

/** "Chrome on Android, 192.168.x.x": enough for an owner to recognise a visit, never a full IP. */
export function describeClient(userAgent: string | undefined, ip: string): string {
  const ua = userAgent ?? '';
  const browser = browsers.find(([pattern]) => pattern.test(ua))?.[1] ?? 'Unknown browser';
  const system = systems.find(([pattern]) => pattern.test(ua))?.[1];
  return `${browser}${system ? ` on ${system}` : ''}, ${coarseAddress(ip)}`;
}
