import type { AssetRow } from '../../db/db.types.js';

/** The namespace of the few PixelUnion states that no standard XMP property holds. */
export const pixelUnionNamespace = 'urn:pixelunion:ns:export:1.0#';

// XML 1.0 forbids these characters anywhere, even escaped.
const forbidden =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(forbidden, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** For attribute values, where a parser would turn line breaks and tabs into spaces. */
const attributeEscape = (text: string) =>
  xmlEscape(text).replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');

/** `+02:00` for 120 minutes. */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The XMP date of the capture: the wall clock, with its offset when it is known. */
export function xmpDate(asset: Pick<AssetRow, 'local_date_time' | 'utc_offset_minutes'>): string {
  const offset = asset.utc_offset_minutes;
  return offset === null ? asset.local_date_time : asset.local_date_time + offsetText(offset);
}

/** XMP's GPSCoordinate: degrees, decimal minutes and the hemisphere, e.g. `48,51.502416N`. */
export function xmpCoordinate(value: number, positive: 'N' | 'E', negative: 'S' | 'W'): string {
  const abs = Math.abs(value);
  const degrees = Math.floor(abs);
  const minutes = (abs - degrees) * 60;
  return `${degrees},${minutes.toFixed(6)}${value < 0 ? negative : positive}`;
}

/**
 * A sidecar XMP packet for one asset, in the properties photo tools read (digiKam, darktable,
 * Lightroom, exiftool, Immich): description, capture date with offset, place, camera. A
 * favourite is written as `xmp:Rating` 5 — the common way to carry a mark between tools — and
 * no rating otherwise, so an unmarked photo does not claim "rejected" or "unrated". Archive,
 * locked folder and trash, which no standard property holds, are in the `pixelunion:` namespace.
 */
export function assetXmp(asset: AssetRow): string {
  const attributes: [string, string][] = [
    ['xmp:CreateDate', xmpDate(asset)],
    ['exif:DateTimeOriginal', xmpDate(asset)],
    ['photoshop:DateCreated', xmpDate(asset)],
  ];
  if (asset.is_favorite === 1) attributes.push(['xmp:Rating', '5']);
  if (asset.latitude !== null && asset.longitude !== null) {
    attributes.push(
      ['exif:GPSVersionID', '2.3.0.0'],
      ['exif:GPSLatitude', xmpCoordinate(asset.latitude, 'N', 'S')],
      ['exif:GPSLongitude', xmpCoordinate(asset.longitude, 'E', 'W')],
    );
    if (asset.altitude !== null) {
      attributes.push(
        ['exif:GPSAltitude', `${Math.round(Math.abs(asset.altitude) * 1000)}/1000`],
        ['exif:GPSAltitudeRef', asset.altitude < 0 ? '1' : '0'],
      );
    }
  }
  if (asset.make) attributes.push(['tiff:Make', asset.make]);
  if (asset.model) attributes.push(['tiff:Model', asset.model]);
  if (asset.lens_model) attributes.push(['exifEX:LensModel', asset.lens_model]);
  attributes.push(
    ['pixelunion:AssetId', asset.id],
    ['pixelunion:Favorite', asset.is_favorite === 1 ? 'True' : 'False'],
    ['pixelunion:Visibility', asset.visibility],
  );
  if (asset.trashed_at !== null) {
    attributes.push(['pixelunion:TrashedAt', new Date(asset.trashed_at).toISOString()]);
  }
  const description =
    asset.description === null || asset.description === ''
      ? ''
      : `
   <dc:description>
    <rdf:Alt>
     <rdf:li xml:lang="x-default">${xmlEscape(asset.description)}</rdf:li>
    </rdf:Alt>
   </dc:description>`;
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="PixelUnion export 1">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:exifEX="http://cipa.jp/exif/1.0/"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:pixelunion="${pixelUnionNamespace}"
${attributes.map(([name, value]) => `    ${name}="${attributeEscape(value)}"`).join('\n')}>${description}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
`;
}
