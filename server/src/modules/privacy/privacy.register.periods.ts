/**
 * Retention periods the processing register states that are fixed in code rather than
 * configured, and the helpers that write periods in plain words for the register's entries
 * (privacy.register.access.ts, privacy.register.photos.ts).
 */

/**
 * Hours an unfinished resumable upload is kept after its last received bytes. Mirrors `expiryMs`
 * in modules/uploads/uploads.service.ts; privacy.test.ts checks that the two agree.
 */
export const resumableUploadHours = 24;

/**
 * Hours a share-link visitor's password pass lasts. Mirrors `PASS_SECONDS` in
 * modules/shares/shares.visits.ts; privacy.test.ts checks that the two agree.
 */
export const visitorPassHours = 12;

/**
 * Days a finished data export is kept. Mirrors `exportKeepDays` in
 * modules/export/export.context.ts; privacy.test.ts checks that the two agree.
 */
export const exportKeepDays = 7;

export const days = (n: number): string => (n === 1 ? '1 day' : `${n} days`);

export const minutes = (seconds: number): string => {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
};
