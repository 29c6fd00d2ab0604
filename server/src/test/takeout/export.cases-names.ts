// Cases: matching a media file to its sidecar (suffixes, truncation, counters, edits, lying names).
import { fromJson, jsonDates, type AssetInput, type ExportBuilder } from './export.builder.js';
import { PLACES } from './export.cases.js';
import { sidecarName, type SidecarSpec, type SidecarStyle } from './export.sidecar.js';

interface NamedCase {
  key: string;
  dir: string;
  /** The media file's name in the archive. */
  name: string;
  spec: SidecarSpec & { taken: string };
  style?: SidecarStyle;
  /** [part of the media, part of the JSON] */
  parts: [number, number];
  /** The JSON's name must be exactly this (checks sidecarName). */
  jsonName?: string;
  data?: Buffer;
  expect?: Partial<AssetInput>;
}

async function named(b: ExportBuilder, c: NamedCase): Promise<void> {
  const jsonName = sidecarName(c.name, c.style);
  if (c.jsonName !== undefined && c.jsonName !== jsonName) {
    throw new Error(`sidecar of ${c.name}: ${jsonName}, expected ${c.jsonName}`);
  }
  b.sidecar(c.parts[1], c.dir, c.name, c.spec, c.style);
  const data = c.data ?? (await b.media.jpeg());
  const path = b.file(c.parts[0], `${c.dir}/${c.name}`, data);
  b.asset({ key: c.key, paths: [path], ...jsonDates(c.spec.taken), ...c.expect });
}

const simple = (title: string, taken: string): SidecarSpec & { taken: string } => ({
  title,
  taken,
});

/** 43 code points (emoji count once, as two UTF-16 units): its '.jpg.json' is cut in '.jpg'. */
export const LONG_CJK_BASE = Array.from(
  '🌅夕焼けの海辺で家族と撮った最高の一枚_2021年8月15日_沖縄旅行の思い出_ベストショット',
)
  .slice(0, 43)
  .join('');

const UUID = '1f3c9a2e-8b4d-4e5f-9a6b-7c8d9e0f1a2b';

export async function addNamingCases(b: ExportBuilder): Promise<void> {
  // The sidecar's date differs from the name's, so a missed sidecar shows.
  let name = 'IMG_20230512_101010.jpg';
  await named(b, {
    key: 'supplemental-metadata',
    dir: 'Photos from 2023',
    name,
    spec: simple(name, '2023-05-12T08:00:00Z'),
    style: 'supplemental',
    parts: [0, 1],
    jsonName: 'IMG_20230512_101010.jpg.supplemental-metadata.json',
  });
  // Every Pixel name is cut: '.supplemental-metada.json'.
  name = 'PXL_20230513_101010123.jpg';
  await named(b, {
    key: 'truncated-supplemental-pxl',
    dir: 'Photos from 2023',
    name,
    spec: simple(name, '2023-05-13T08:00:00Z'),
    style: 'supplemental',
    parts: [2, 1],
    jsonName: 'PXL_20230513_101010123.jpg.supplemental-metada.json',
  });
  name = 'Screenshot_20230101-101010_Messenger.jpg';
  await named(b, {
    key: 'truncated-supplemental',
    dir: 'Photos from 2023',
    name,
    spec: simple(name, '2023-01-01T09:00:00Z'),
    style: 'supplemental',
    parts: [1, 1],
    jsonName: 'Screenshot_20230101-101010_Messenger.jpg.suppl.json',
  });
  name = 'IMG_20220612_101010_PORTRAIT_BOKEH_HDR_ORIGINAL.jpg';
  await named(b, {
    key: 'truncated-original',
    dir: 'Photos from 2022',
    name,
    spec: simple(name, '2022-06-12T08:10:10Z'),
    parts: [2, 0],
    jsonName: 'IMG_20220612_101010_PORTRAIT_BOKEH_HDR_ORIGINA.json',
  });
  name = `${LONG_CJK_BASE}.jpg`;
  await named(b, {
    key: 'truncated-code-points',
    dir: 'Photos from 2021',
    name,
    spec: simple(name, '2021-08-15T09:00:00Z'),
    parts: [0, 0],
    jsonName: `${LONG_CJK_BASE}.jp.json`,
  });
  name = `original_${UUID}_P(1).jpg`;
  await named(b, {
    key: 'original-uuid-counter',
    dir: 'Photos from 2023',
    name,
    spec: simple(`original_${UUID}_P.jpg`, '2023-02-02T02:02:02Z'),
    style: 'counter',
    parts: [1, 2],
    jsonName: `original_${UUID}_.json`,
  });

  // Moved counters next to the uncountered name, each with its own date.
  const counters: [string, SidecarStyle, string, SidecarStyle, string, string][] = [
    ['counter-moved', 'counter', 'Photos from 2022', 'json', 'IMG_5000', '2022-03-0'],
    [
      'supplemental-counter',
      'supplemental-counter',
      'Photos from 2024',
      'supplemental',
      'IMG_6000',
      '2024-01-1',
    ],
    [
      'counter-supplemental',
      'counter-supplemental',
      'Photos from 2025',
      'supplemental',
      'IMG_7000',
      '2025-02-2',
    ],
  ];
  for (const [prefix, countedStyle, dir, baseStyle, stem, day] of counters) {
    const title = `${stem}.jpg`;
    await named(b, {
      key: `${prefix}-base`,
      dir,
      name: title,
      spec: simple(title, `${day}1T10:00:00Z`),
      style: baseStyle,
      parts: [0, 0],
    });
    for (const n of [1, 2]) {
      await named(b, {
        key: `${prefix} (${String(n)})`,
        dir,
        name: `${stem}(${String(n)}).jpg`,
        spec: simple(title, `${day}${String(n + 1)}T1${String(n)}:00:00Z`),
        style: countedStyle,
        parts: [n, n - 1],
      });
    }
  }

  // Lying extensions and odd titles.
  await named(b, {
    key: 'heic-is-jpeg',
    dir: 'Photos from 2022',
    name: 'IMG_2001.HEIC',
    spec: simple('IMG_2001.HEIC', '2022-08-01T12:00:00Z'),
    parts: [1, 1],
  });
  await named(b, {
    key: 'mp4-is-mov',
    dir: 'Photos from 2022',
    name: 'VID_2002.mp4',
    spec: { ...simple('VID_2002.mp4', '2022-08-02T12:00:00Z'), geo: PLACES.telAviv },
    parts: [2, 2],
    data: await b.media.video('mov', true),
    expect: { type: 'video', format: 'mov', ...fromJson(PLACES.telAviv) },
  });
  await named(b, {
    key: 'title-with-slash',
    dir: 'Photos from 2019',
    name: 'Paris_Lyon 2019.jpg',
    spec: simple('Paris/Lyon 2019.jpg', '2019-09-01T10:00:00Z'),
    parts: [0, 2],
  });
  // macOS wrote the media's name in NFD; the sidecar's name is NFC.
  const nfc = 'Été à Genève.jpg'.normalize('NFC');
  b.sidecar(1, 'Photos from 2019', nfc, simple(nfc, '2019-10-01T10:00:00Z'));
  b.asset({
    key: 'nfd-name',
    paths: [b.file(1, `Photos from 2019/${nfc.normalize('NFD')}`, await b.media.jpeg())],
    ...jsonDates('2019-10-01T10:00:00Z'),
  });
}

/** Edited copies have no sidecar: they take their original's date, place and flags. */
export async function addEditedCases(b: ExportBuilder): Promise<void> {
  const edits: [string, string, string, SidecarSpec & { taken: string }, Partial<AssetInput>][] = [
    [
      'en',
      'IMG_8000',
      '-edited',
      { title: 'IMG_8000.jpg', taken: '2021-04-05T03:00:00Z', favorited: true },
      { favorite: true },
    ],
    [
      'de',
      'IMG_8001',
      '-bearbeitet',
      { title: 'IMG_8001.jpg', taken: '2021-04-06T03:00:00Z', archived: true },
      { archived: true },
    ],
    [
      'ja',
      'IMG_8002',
      '-編集済み',
      { title: 'IMG_8002.jpg', taken: '2021-04-07T03:00:00Z', geoExif: PLACES.tokyo },
      fromJson(PLACES.tokyo),
    ],
  ];
  for (const [lang, stem, suffix, spec, expect] of edits) {
    const dir = 'Photos from 2021';
    b.sidecar(0, dir, `${stem}.jpg`, spec);
    const dates = jsonDates(spec.taken);
    b.asset({
      key: `edited-original-${lang}`,
      paths: [b.file(1, `${dir}/${stem}.jpg`, await b.media.jpeg())],
      ...dates,
      ...expect,
    });
    b.asset({
      key: `edited-${lang}`,
      paths: [b.file(2, `${dir}/${stem}${suffix}.jpg`, await b.media.jpeg())],
      ...dates,
      ...expect,
    });
  }
}
