import { describe, expect, it } from 'vitest';
import { coarseAddress, describeClient } from './client-description.js';

describe('client description', () => {
  it.each([
    ['192.168.1.23', '192.168.x.x'],
    ['::ffff:10.0.0.7', '10.0.x.x'],
    ['2001:db8:85a3:1:2:8a2e:370:7334', '2001:db8:85a3:x:x:x:x:x'],
    ['2001:db8::1', '2001:db8:0:x:x:x:x:x'],
    ['::1', '0:0:0:x:x:x:x:x'],
    ['not an address', 'unknown address'],
  ])('shortens %s to %s', (ip, coarse) => {
    expect(coarseAddress(ip)).toBe(coarse);
  });

  it.each([
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0',
      'Edge on Windows',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox on Linux'],
    ['curl/8.5.0', 'curl'],
    [undefined, 'Unknown browser'],
  ])('names %s as %s', (ua, name) => {
    expect(describeClient(ua, '192.168.1.23')).toBe(`${name}, 192.168.x.x`);
  });
});
