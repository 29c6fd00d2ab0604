/** A wall-clock date-time as written in a file, with the UTC offset when the file says it. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  hasFraction: boolean;
  /** minutes east of UTC, or null when the value carries no zone */
  offsetMinutes: number | null;
}

const DAY_MS = 86_400_000;
const MIN_YEAR = 1826; // the oldest surviving photograph

const DATE_RE =
  /^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i;

/** Parses '+02:00', '-0530', 'Z'; null for anything else or beyond ±14:00. */
export function parseOffset(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^z$/i.test(s)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(s);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[3]) > 59 || minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Builds a WallClock after checking every field is in range. */
export function wallClock(
  parts: [number, number, number, number?, number?, number?],
  fraction: string | undefined,
  offsetMinutes: number | null,
): WallClock | null {
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const digits = fraction?.replace(/\D/g, '') ?? '';
  const millisecond = digits ? Number(digits.slice(0, 3).padEnd(3, '0')) : 0;
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    millisecond,
    hasFraction: digits !== '',
    offsetMinutes,
  };
}

/** Parses exiftool's 'YYYY:MM:DD HH:MM:SS[.sss][±HH:MM|Z]' (and '-' or '/' separated variants). */
export function parseExifDate(value: unknown): WallClock | null {
  if (typeof value !== 'string') return null;
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const n = (i: number): number | undefined => (m[i] === undefined ? undefined : Number(m[i]));
  const offset = m[8] === undefined ? null : parseOffset(m[8]);
  if (m[8] !== undefined && offset === null) return null;
  return wallClock([Number(m[1]), Number(m[2]), Number(m[3]), n(4), n(5), n(6)], m[7], offset);
}

/** The wall-clock read as if it were UTC, in ms since the epoch. */
export const localAsUtcMs = (w: WallClock): number =>
  Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);

/** The instant, if the offset is known; otherwise the wall-clock read as UTC. */
export const instantMs = (w: WallClock): number =>
  localAsUtcMs(w) - (w.offsetMinutes ?? 0) * 60_000;

/** Garbage check: before 1826, more than a day in the future, or an epoch placeholder. */
export function isPlausible(w: WallClock, now: number): boolean {
  if (w.year < MIN_YEAR) return false;
  if (instantMs(w) > now + DAY_MS) return false;
  const local = localAsUtcMs(w);
  // unset clocks: 1904-01-01 (QuickTime epoch), 1970-01-01 (Unix epoch), 1980-01-01 (DOS epoch)
  return ![Date.UTC(1904, 0, 1), Date.UTC(1970, 0, 1), Date.UTC(1980, 0, 1)].includes(local);
}

export function formatLocal(w: WallClock): string {
  const p = (v: number, len = 2): string => String(v).padStart(len, '0');
  const base = `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
  return w.hasFraction ? `${base}.${p(w.millisecond, 3)}` : base;
}

/** The wall-clock at `ms` in a fixed offset. */
export function fromInstant(
  ms: number,
  offsetMinutes: number | null,
  hasFraction: boolean,
): WallClock {
  const d = new Date(ms + (offsetMinutes ?? 0) * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    hasFraction: hasFraction && d.getUTCMilliseconds() !== 0,
    offsetMinutes,
  };
}

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

/** The UTC offset of an IANA zone at an instant (Node's ICU data), or null for an unknown zone. */
export function zoneOffsetAt(zone: string, ms: number): number | null {
  let fmt = zoneFormats.get(zone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      fmt = null;
    }
    zoneFormats.set(zone, fmt);
  }
  if (!fmt) return null;
  const name = fmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
  if (name === 'GMT') return 0;
  return parseOffset(name?.replace(/^GMT/, ''));
}

/** The offset of `zone` for a wall-clock time there (resolving DST by a second lookup). */
export function zoneOffsetForLocal(zone: string, w: WallClock): number | null {
  const local = localAsUtcMs(w);
  const guess = zoneOffsetAt(zone, local);
  return guess === null ? null : zoneOffsetAt(zone, local - guess * 60_000);
}
