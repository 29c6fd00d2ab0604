import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ExportRow } from '../../db/db.types.js';
import {
  figureHtml,
  groupEnd,
  groupStart,
  monthLabel,
  pageEnd,
  pageStart,
  sectionEnd,
  sectionStart,
  type NavEntry,
} from './export.html.js';
import type { ExportIndexRepo, IndexCategory, IndexItem } from './export.index.repo.js';
import type { ExportLibraryRepo } from './export.library.repo.js';
import type { ExportRepo } from './export.repo.js';

const categories: { category: IndexCategory; title: string; note: string }[] = [
  { category: 'timeline', title: 'Photos', note: '' },
  { category: 'archive', title: 'Archive', note: 'Kept, but not shown in the timeline.' },
  {
    category: 'locked',
    title: 'Locked folder',
    note: 'Photos you kept in the locked folder (in the “Locked folder” folder of the export).',
  },
  {
    category: 'trash',
    title: 'Trash',
    note: 'Photos that were in the trash when the export was made (in the “Trash” folder).',
  },
];

const pageSize = 500;

/**
 * Writes index.html into `file`: the sections (by month, then by album) go to a second file as
 * the pages of assets are read, and the table of contents, known only at the end, is written
 * before them. Memory holds one page of assets at a time.
 */
export async function writeIndex(
  deps: { repo: ExportRepo; library: ExportLibraryRepo; index: ExportIndexRepo; root: string },
  row: ExportRow,
  userName: string,
  file: string,
): Promise<void> {
  const bodyFile = `${file}.${randomUUID()}.body`;
  const body = await fsp.open(bodyFile, 'w');
  const relative = (p: string) => p.slice(deps.root.length + 1);
  const navs: { heading: string; entries: NavEntry[] }[] = [];
  let total = 0;

  /** Writes one page of figures, each after what `before` gives (a new month's heading). */
  const figures = async (items: IndexItem[], before: (item: IndexItem) => string) => {
    const paths = await deps.repo.pathsOf(
      row.id,
      items.map((i) => i.id),
    );
    let html = '';
    for (const item of items) {
      html += before(item);
      const kinds = paths.get(item.id);
      const optional = (kind: string) => {
        const p = kinds?.get(kind);
        return p ? relative(p) : null;
      };
      html += figureHtml({
        original: relative(item.path),
        thumbnail: optional('thumbnail'),
        json: optional('json'),
        motion: optional('motion'),
        name: item.original_file_name,
        localDateTime: item.local_date_time,
        type: item.type,
        favorite: item.is_favorite === 1,
        description: item.description,
      });
    }
    await body.write(html);
  };

  try {
    for (const { category, title, note } of categories) {
      const entries: NavEntry[] = [];
      let month = '';
      let after = -1;
      for (;;) {
        const items = await deps.index.indexPage(row.id, category, after, pageSize);
        const last = items.at(-1);
        if (!last) break;
        if (entries.length === 0) await body.write(sectionStart(category, title, note));
        await figures(items, (item) => {
          let heading = '';
          const itemMonth = item.local_date_time.slice(0, 7);
          if (itemMonth !== month) {
            if (month !== '') heading += groupEnd;
            month = itemMonth;
            const id = `${category}-${month}`;
            entries.push({ id, label: monthLabel(item.local_date_time), count: 0 });
            heading += groupStart(id, monthLabel(item.local_date_time));
          }
          const current = entries.at(-1);
          if (current) current.count += 1;
          total += 1;
          return heading;
        });
        after = last.seq;
      }
      if (entries.length > 0) await body.write(groupEnd + sectionEnd);
      navs.push({ heading: title, entries });
    }

    const albums = await albumList(deps.library, row.owner_id);
    const albumEntries: NavEntry[] = [];
    if (albums.length > 0) await body.write(sectionStart('albums', 'Albums'));
    for (const album of albums) {
      const id = `album-${album.id}`;
      const entry = { id, label: album.title, count: 0 };
      albumEntries.push(entry);
      await body.write(groupStart(id, album.title, album.note));
      let after = -1;
      for (;;) {
        const items = await deps.index.albumIndexPage(
          row.id,
          album.id,
          row.owner_id,
          after,
          pageSize,
        );
        const last = items.at(-1);
        if (!last) break;
        await figures(items, () => {
          entry.count += 1;
          return '';
        });
        after = last.seq;
      }
      await body.write(groupEnd);
    }
    if (albums.length > 0) await body.write(sectionEnd);
    navs.push({ heading: 'Albums', entries: albumEntries });
  } finally {
    await body.close();
  }

  const date = new Date(row.created_at).toISOString().slice(0, 10);
  try {
    await fsp.writeFile(
      file,
      pageStart({
        title: `${userName} — PixelUnion export of ${date}`,
        summary: [
          `${total} photos and videos. Each file has beside it a .json file with everything PixelUnion held about it and a .xmp sidecar for other photo tools.`,
          'If the export came in several zip files, extract them all into the same folder: this page links to files of every part.',
        ],
        nav: navs,
      }),
    );
    await pipeline(fs.createReadStream(bodyFile), fs.createWriteStream(file, { flags: 'a' }));
    await fsp.appendFile(
      file,
      pageEnd('Made by PixelUnion. This page loads nothing from the internet.'),
    );
  } finally {
    await fsp.rm(bodyFile, { force: true });
  }
}

/** The user's albums, then the albums of others they are a member of (their own photos there). */
async function albumList(library: ExportLibraryRepo, userId: string) {
  const [owned, memberships] = await Promise.all([
    library.ownedAlbums(userId),
    library.memberships(userId),
  ]);
  return [
    ...owned.map((a) => ({ id: a.id, title: a.title, note: a.description ?? '' })),
    ...memberships.map((m) => ({
      id: m.id,
      title: m.title,
      note: `Shared with you by ${m.owner_name}: only your own photos in it are in this export.`,
    })),
  ];
}
