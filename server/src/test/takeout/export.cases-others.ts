// Cases: entries that are not photos, and entries an importer must refuse.
import type { ExportBuilder } from './export.builder.js';

/** The zip-bomb entry: ~70 MB of zeros, deflated to ~70 kB (ratio ~1000). */
export const BOMB_SIZE = 70 * 1024 * 1024;

export function addOtherCases(b: ExportBuilder): void {
  const html = '<!DOCTYPE html><html><body><h1>Your Google Takeout archive</h1></body></html>\n';
  b.other({
    path: b.raw(0, 'Takeout/archive_browser.html', { kind: 'bytes', data: Buffer.from(html) }),
    outcome: 'ignored',
    reason: 'html',
  });
  const printOrders = { printSubscriptions: [], orders: [{ orderId: 'A1B2', status: 'SHIPPED' }] };
  b.other({
    path: b.file(1, 'print-subscriptions.json', JSON.stringify(printOrders, null, 2)),
    outcome: 'ignored',
    reason: 'print',
  });
  const memories = {
    memoryTitles: [{ title: 'Summer in Nice', creationTime: { timestamp: '1563100000' } }],
  };
  b.other({
    path: b.file(2, 'user-generated-memory-titles.json', JSON.stringify(memories, null, 2)),
    outcome: 'ignored',
    reason: 'memory',
  });
  b.other({
    path: b.file(0, 'Photos from 2020/notes.jpg', 'This is a shopping list, not a photo.\n'),
    outcome: 'skipped',
    reason: 'not a photo',
  });

  // Unsafe entries (each among ordinary ones, so the importer must carry on after them).
  const passwd = 'root:x:0:0:root:/root:/bin/bash\n';
  b.other({
    path: b.raw(1, '../../etc/passwd', { kind: 'bytes', data: Buffer.from(passwd) }),
    outcome: 'refused',
    reason: '..',
  });
  b.other({
    path: b.raw(2, '/etc/passwd', { kind: 'bytes', data: Buffer.from(passwd) }),
    outcome: 'refused',
    reason: 'absolute',
  });
  b.other({
    path: b.raw(0, b.path(0, 'Photos from 2019/passwd-link.jpg'), {
      kind: 'symlink',
      target: '/etc/passwd',
    }),
    outcome: 'refused',
    reason: 'symbolic link',
  });
}

/** Adds the zip bomb as the very last entry of the last part (zip only). */
export function addBomb(b: ExportBuilder): void {
  const last = b.partCount - 1;
  if (b.format === 'tgz') {
    b.notes.push(
      'tgz: no zip-bomb entry. A tar entry has no compressed size of its own (gzip compresses the ' +
        'whole stream), so there is no per-entry ratio to refuse; the zip parts carry bomb.jpg.',
    );
    return;
  }
  b.other({
    path: b.raw(last, b.path(last, 'Photos from 2019/bomb.jpg'), {
      kind: 'zeros',
      size: BOMB_SIZE,
    }),
    outcome: 'refused',
    reason: 'ratio',
  });
}
