import { formatBytes } from '../timeline/dates';
import type { ErasureSummary } from './api';

const rows: { key: keyof ErasureSummary; label: string }[] = [
  { key: 'photos', label: 'Photos' },
  { key: 'videos', label: 'Videos' },
  { key: 'albums', label: 'Albums' },
  { key: 'sharedAlbumsLeft', label: 'Shared albums left' },
  { key: 'shareLinks', label: 'Share links' },
  { key: 'shareLinkEvents', label: 'Share link log entries' },
  { key: 'takeoutImports', label: 'Google Takeout imports' },
  { key: 'unfinishedUploads', label: 'Unfinished uploads' },
  { key: 'sessions', label: 'Sessions' },
  { key: 'apiKeys', label: 'API keys' },
  { key: 'jobs', label: 'Background jobs' },
];

/** What an erasure deleted, as a table of counts. */
export function ReceiptSummary({ deleted }: { deleted: ErasureSummary }) {
  return (
    <table className="receipt-table">
      <tbody>
        {rows.map(({ key, label }) => (
          <tr key={key}>
            <th scope="row">{label}</th>
            <td>{deleted[key]}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">Size of the originals</th>
          <td>{formatBytes(deleted.bytes)}</td>
        </tr>
      </tbody>
    </table>
  );
}
