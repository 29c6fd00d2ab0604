/** Wall-clock 'YYYY-MM-DDTHH:mm:ss' of an instant shifted by an offset (null: read as UTC). */
export function localDateTimeOf(instant: Date, offsetMinutes: number | null): string {
  const shifted = new Date(instant.getTime() + (offsetMinutes ?? 0) * 60_000);
  return shifted.toISOString().slice(0, 19);
}

/** The timeline month of a local date-time: '2023-10'. */
export const bucketOf = (localDateTime: string): string => localDateTime.slice(0, 7);

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?$/;

/** The instant of a wall-clock time at a given offset; without an offset the wall clock is read as UTC. */
export function instantOfLocal(localDateTime: string, offsetMinutes: number | null): Date | null {
  if (!localPattern.test(localDateTime)) return null;
  const asUtc = Date.parse(`${localDateTime}Z`);
  if (Number.isNaN(asUtc)) return null;
  return new Date(asUtc - (offsetMinutes ?? 0) * 60_000);
}
