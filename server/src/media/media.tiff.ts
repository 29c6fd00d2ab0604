/**
 * Wraps 8-bit RGBA pixels in an uncompressed little-endian TIFF carrying an ICC profile, so that
 * libvips knows the pixels' colour space (heic-decode returns bare RGBA; iPhones shoot Display P3).
 */
export function rgbaTiffWithIcc(data: Buffer, width: number, height: number, icc: Buffer): Buffer {
  const entries: [tag: number, type: number, count: number, value: number][] = [];
  const SHORT = 3;
  const LONG = 4;
  const UNDEFINED = 7;
  const ifdSize = 2 + 12 * 12 + 4;
  const bitsAt = 8 + ifdSize;
  const iccAt = bitsAt + 8;
  const pixelsAt = iccAt + icc.length + (icc.length % 2);
  entries.push(
    [256, LONG, 1, width],
    [257, LONG, 1, height],
    [258, SHORT, 4, bitsAt], // BitsPerSample 8,8,8,8
    [259, SHORT, 1, 1], // no compression
    [262, SHORT, 1, 2], // RGB
    [273, LONG, 1, pixelsAt],
    [277, SHORT, 1, 4],
    [278, LONG, 1, height],
    [279, LONG, 1, data.length],
    [284, SHORT, 1, 1], // chunky
    [338, SHORT, 1, 2], // unassociated alpha
    [34675, UNDEFINED, icc.length, iccAt],
  );
  const out = Buffer.alloc(pixelsAt + data.length);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(8, 4);
  out.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(count, at + 4);
    if (type === SHORT && count === 1) out.writeUInt16LE(value, at + 8);
    else out.writeUInt32LE(value, at + 8);
  });
  out.writeUInt32LE(0, 10 + entries.length * 12); // no next IFD
  for (let i = 0; i < 4; i++) out.writeUInt16LE(8, bitsAt + i * 2);
  icc.copy(out, iccAt);
  data.copy(out, pixelsAt);
  return out;
}
