import { describe, expect, it } from 'vitest';
import { assetFolder, FolderNames, motionName, safeFileName } from './export.names.js';

describe('export file names', () => {
  it('makes names safe on every system', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('/absolute/IMG_1.jpg')).toBe('IMG_1.jpg');
    expect(safeFileName('C:\\Users\\me\\IMG_2.jpg')).toBe('IMG_2.jpg');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('')).toBe('file');
    expect(safeFileName('a\u0000b\u001fc\u007f.jpg')).toBe('abc.jpg');
    expect(safeFileName('what?<now>:"|*.jpg')).toBe('what__now_____.jpg');
    expect(safeFileName('trailing. . ')).toBe('trailing');
    expect(safeFileName('CON.jpg')).toBe('_CON.jpg');
    expect(safeFileName('e\u0301te\u0301.jpg')).toBe('été.jpg');
    const long = safeFileName(`${'🎉'.repeat(100)}.jpeg`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith('🎉.jpeg')).toBe(true);
  });

  it('keeps trash and the locked folder apart from the months', () => {
    const at = { local_date_time: '2023-10-06T08:30:00', trashed_at: null };
    expect(assetFolder({ ...at, visibility: 'timeline' })).toBe('2023/10');
    expect(assetFolder({ ...at, visibility: 'archive' })).toBe('2023/10');
    expect(assetFolder({ ...at, visibility: 'locked' })).toBe('Locked folder/2023/10');
    expect(assetFolder({ ...at, visibility: 'locked', trashed_at: 1 })).toBe('Trash/2023/10');
    expect(motionName('IMG_1234.HEIC', 'video/quicktime')).toBe('IMG_1234.mov');
    expect(motionName('PXL_1.MP.jpg', 'video/mp4')).toBe('PXL_1.MP.mp4');
  });

  it('gives each file a name no other file in its folder has, whatever the case', async () => {
    const names = new FolderNames((folder) =>
      Promise.resolve(folder === '2023/10' ? ['IMG.jpg', 'IMG.jpg.json', 'IMG.jpg.xmp'] : []),
    );
    const sidecars = ['.json', '.xmp'];
    expect(await names.take('2023/10', 'img.JPG', sidecars)).toBe('img (1).JPG');
    expect(await names.take('2023/10', 'IMG.jpg', sidecars)).toBe('IMG (2).jpg');
    expect(await names.take('2023/11', 'IMG.jpg', sidecars)).toBe('IMG.jpg');
    // A live photo's video may not take a sidecar's name either.
    expect(await names.take('2023/11', 'IMG.jpg.xmp')).toBe('IMG.jpg (1).xmp');
  });
});
