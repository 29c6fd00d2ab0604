import { wallClock, type WallClock } from './media.dates.js';

export interface FilenameDate {
  clock: WallClock;
  /** The name holds UTC, not local time (Google Pixel's PXL_…). */
  utc: boolean;
  dateOnly: boolean;
}

interface Pattern {
  re: RegExp;
  utc?: boolean;
  dateOnly?: boolean;
}

// Groups: year, month, day, [hour, minute, second, [millis]]. Digit runs must not touch other digits.
const PATTERNS: Pattern[] = [
  // Google Pixel: PXL_20231006_063000139 (UTC)
  { re: /PXL_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(\d{3})?(?!\d)/i, utc: true },
  // WhatsApp: IMG-20190812-WA0001 (date only)
  { re: /(?:IMG|VID|AUD|PTT|STK|DOC)-(\d{4})(\d{2})(\d{2})-WA\d+/i, dateOnly: true },
  // IMG_20190812_101112, VID_…, 20190812_101112, 20190812-101112, Screenshot_20190812-101112
  { re: /(?<!\d)(\d{4})(\d{2})(\d{2})[_-](\d{2})(\d{2})(\d{2})(?:[_.]?(\d{3}))?(?!\d)/ },
  // Screenshot_2019-08-12-10-11-12, 2019-08-12 10.11.12, WhatsApp Image 2019-08-12 at 10.11.12,
  // signal-2019-08-12-101112
  {
    re: /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[ _-]|\sat\s)(\d{2})[.:-]?(\d{2})[.:-]?(\d{2})(?:[._](\d{3}))?(?!\d)/i,
  },
  // 2019-08-12.jpg, 2019_08_12 (date only)
  { re: /(?<!\d)(\d{4})([-_])(\d{2})\2(\d{2})(?!\d)/, dateOnly: true },
];

/** Reads a capture date from a file name (camera, phone and messenger naming schemes). */
export function dateFromFilename(fileName: string): FilenameDate | null {
  const base = fileName.replace(/^.*[\\/]/, '');
  for (const { re, utc = false, dateOnly = false } of PATTERNS) {
    const m = re.exec(base);
    if (!m) continue;
    const groups: (string | undefined)[] = m.slice(1);
    const nums = groups.filter((g): g is string => g !== undefined && /^\d+$/.test(g));
    const [y, mo, d, h, mi, s, ms] = nums.map(Number);
    if (y === undefined || mo === undefined || d === undefined) continue;
    const clock = dateOnly
      ? wallClock([y, mo, d], undefined, null)
      : wallClock([y, mo, d, h, mi, s], ms === undefined ? undefined : nums[6], utc ? 0 : null);
    if (clock) return { clock, utc, dateOnly };
  }
  return null;
}
