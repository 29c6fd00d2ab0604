const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "2023-10" → "October 2023" */
export function monthLabel(bucket: string): string {
  const [year, month] = bucket.split('-');
  return `${monthNames[Number(month) - 1] ?? ''} ${year ?? ''}`;
}

export const shortMonth = (bucket: string) =>
  (monthNames[Number(bucket.slice(5, 7)) - 1] ?? '').slice(0, 3);

/** "2023-10-05" → "Thursday 5 October 2023": wall-clock dates, so no time zone is involved. */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return day;
  const weekday = weekdays[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] ?? '';
  return `${weekday} ${d} ${monthNames[m - 1] ?? ''} ${y}`;
}

/** The photo's own wall-clock time, with its UTC offset when known: "15:47:53 (UTC−05:00)". */
export function timeLabel(localDateTime: string, offsetMinutes: number | null): string {
  const time = localDateTime.slice(11, 19);
  if (offsetMinutes === null) return time;
  const sign = offsetMinutes < 0 ? '−' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${time} (UTC${sign}${hh}:${mm})`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? ''}`;
}
