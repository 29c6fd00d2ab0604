import { Link } from '../layout/router';
import { takeout, type ReportFile, type TakeoutImport, type TakeoutReport } from './api';
import { duration, outcomeText, plural } from './words';

/** Files that did not make it into the library for a reason the owner should see. */
const isProblem = (file: ReportFile) =>
  file.outcome === 'skipped' || file.outcome === 'failed' || file.outcome === 'refused';

/** The album's own folder, without `Takeout/Google Photos/` before it ('' for albums.json's). */
const folderName = (folder: string) => folder.split('/').filter(Boolean).pop() ?? folder;

/** Rows drawn on the page; the downloaded report has every file. */
const shownRows = 500;

function Summary({ item, report }: { item: TakeoutImport; report: TakeoutReport }) {
  const { summary } = report;
  const took = duration(item);
  const problems = summary.skipped + summary.failed + summary.refused;
  return (
    <p className="takeout-summary">
      <strong>
        {plural(summary.imported, 'new photo or video', 'new photos and videos')} imported
      </strong>{' '}
      from {plural(item.parts.length, 'part')}
      {took ? ` in ${took}` : ''}.
      {summary.duplicates > 0 &&
        ` ${plural(summary.duplicates, 'file was a duplicate', 'files were duplicates')} (already in your library or twice in the export).`}
      {summary.motion > 0 &&
        ` ${plural(summary.motion, 'live-photo video was', 'live-photo videos were')} joined to ${summary.motion === 1 ? 'its' : 'their'} photo.`}
      {problems > 0
        ? ` ${plural(problems, 'file was', 'files were')} not imported: the reasons are below.`
        : ' Nothing was left out.'}
    </p>
  );
}

/** The end of an import: what it did, the albums it made, and every file it left out. */
export function ImportReport({ item, report }: { item: TakeoutImport; report: TakeoutReport }) {
  const problems = report.files.filter(isProblem);
  return (
    <section className="takeout-card" aria-labelledby="takeout-report-title">
      <h3 id="takeout-report-title">Report</h3>
      <Summary item={item} report={report} />
      <a className="button" href={takeout.reportDownloadUrl(item.id)} download>
        Download report (JSON)
      </a>
      <p className="takeout-hint">
        The file lists every file of the archives, what became of it, and where each photo’s date
        and place came from.
      </p>
      {report.albums.length > 0 && (
        <>
          <h4>Albums</h4>
          <ul className="takeout-albums" aria-label="Albums">
            {report.albums.map((album, i) => (
              <li key={`${String(i)}:${album.folder}`}>
                {album.albumId ? (
                  <Link to={`/albums/${encodeURIComponent(album.albumId)}`}>
                    {album.title || 'Untitled album'}
                  </Link>
                ) : (
                  <span>{album.title || 'Untitled album'} (not created: no new photos)</span>
                )}
                {album.folder !== '' && folderName(album.folder) !== album.title && (
                  <small> from the folder “{folderName(album.folder)}”</small>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {report.notes.length > 0 && (
        <>
          <h4>Good to know</h4>
          <ul className="takeout-notes">
            {report.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </>
      )}
      {problems.length > 0 && (
        <details className="takeout-problems">
          <summary>
            {plural(problems.length, 'file', 'files')} not imported (skipped, failed or refused),
            with the reasons
          </summary>
          <div className="takeout-table-wrap">
            <table className="takeout-table">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Result</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {problems.slice(0, shownRows).map((file) => (
                  <tr key={`${file.part}/${file.path}`} className={file.outcome}>
                    <td className="takeout-path">
                      {file.path}
                      <small>{file.part}</small>
                    </td>
                    <td>{outcomeText[file.outcome]}</td>
                    <td>{file.detail ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {problems.length > shownRows && (
            <p className="takeout-hint">
              The first {shownRows} are shown; the downloaded report lists all {problems.length}.
            </p>
          )}
        </details>
      )}
    </section>
  );
}
