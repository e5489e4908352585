import type { DeliveryRecord } from '../../alerts/alert-store.js';
import { formatDateTime, humanize } from '../../alerts/wording.js';
import { Badge } from './layout.js';

/** A column heading; `num` right-aligns it over numbers. */
export type Column = string | { text: string; num?: boolean };

/** A table's header row: `<th scope="col">` per column, so screen readers name each cell. */
export function TableHead(props: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((col) =>
          typeof col === 'string' ? (
            <th scope="col">{col}</th>
          ) : (
            <th scope="col" class={col.num ? 'num' : undefined}>
              {col.text}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

/** Right-aligned number columns. */
export const nums = (...texts: string[]): Column[] => texts.map((text) => ({ text, num: true }));

/**
 * Alert deliveries (sent; failed, or uncertain — it may have arrived, not sent again — with the reason),
 * newest first; a card per row on a phone.
 */
export function DeliveryTable(props: {
  rows: readonly (DeliveryRecord & { failed: boolean; uncertain?: boolean })[];
}) {
  const rows = [...props.rows].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <div class="table-wrap stack">
      <table>
        <TableHead columns={['When', 'Alert', 'Channel', 'Outcome']} />
        <tbody>
          {rows.map((r) => (
            <tr>
              <td data-label="When">{formatDateTime(r.at)}</td>
              <td data-label="Alert">
                {humanize(r.kind)} <div class="small mono">{r.id}</div>
              </td>
              <td data-label="Channel">{r.destination}</td>
              <td data-label="Outcome">
                {r.uncertain ? (
                  <Badge tone="warn">Uncertain</Badge>
                ) : (
                  <Badge tone={r.failed ? 'bad' : 'done'}>{r.failed ? 'Failed' : 'Sent'}</Badge>
                )}
                {r.reason && <div class="small">{r.reason}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
