import type { TakeoutReport } from '../modules/takeout/takeout.report.js';

/** The human summary of a report. */
export function summarize(report: TakeoutReport, reportFile: string | null): string {
  const { summary: s, import: imp } = report;
  const out: string[] = [];
  const failedParts = imp.parts.filter((p) => p.status === 'failed');
  out.push(
    `Import ${imp.id}: ${imp.status}${imp.error ? ` (${imp.error})` : ''}. ${imp.parts.length} parts ${imp.source === 'pixelunion' ? 'of a PixelUnion export' : 'of a Google Takeout'}, ${s.media} photos and videos, ${s.sidecars} metadata files.`,
  );
  const row = (label: string, count: number, note = '') =>
    `  ${label.padEnd(20)}${String(count).padStart(7)}${note ? `   ${note}` : ''}`;
  out.push(
    row('imported', s.imported),
    row('duplicates', s.duplicates, 'already in your library, or twice in the export'),
    row('live-photo motion', s.motion, 'the video of a live photo, kept with its still'),
    row('skipped', s.skipped),
    row('failed', s.failed),
    row('ignored', s.ignored, 'not photos or videos: HTML, other JSON, XMP, thumbnails'),
    row('refused', s.refused, 'unsafe entries: paths leaving the archive, links, bombs'),
  );
  if (s.pending > 0) out.push(row('not imported yet', s.pending));
  for (const part of failedParts) {
    out.push(`Part ${part.fileName} could not be read: ${part.error ?? 'unknown error'}`);
  }
  out.push(`Albums (${report.albums.length}):`);
  for (const album of report.albums) out.push(`  ${album.title}`);
  if (report.notes.length > 0) {
    out.push('Notes:');
    for (const note of report.notes) out.push(`  ${note}`);
  }
  const rank: Record<string, number> = { failed: 0, refused: 1, skipped: 2 };
  const problems = report.files
    .filter((f) => f.outcome in rank)
    .sort((a, b) => (rank[a.outcome] ?? 0) - (rank[b.outcome] ?? 0));
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    out.push(
      `Not imported (${problems.length}${shown.length < problems.length ? `, the first ${shown.length}` : ''}):`,
    );
    for (const f of shown) {
      out.push(`  ${f.outcome.padEnd(8)} ${f.path} (${f.part})${f.detail ? `: ${f.detail}` : ''}`);
    }
  }
  if (reportFile) {
    out.push(
      `The full report (every file, with reasons and where each date and place came from): ${reportFile}`,
    );
  }
  return `${out.join('\n')}\n`;
}
