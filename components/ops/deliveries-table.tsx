// Deliveries to each channel by status: queued, sent, failed (all time).
import type { DeliveryCount } from "../../server/observability/ops-views";
import { formatCount } from "./ops-format";

const cell = "px-2 py-1 text-right tabular-nums";

export function DeliveriesTable({ deliveries }: { deliveries: DeliveryCount[] }) {
  if (deliveries.length === 0) {
    return (
      <p className="p-3 text-sm text-slate-400">
        No deliveries yet: a moment is delivered once an editor approves it and a channel accepted it.
      </p>
    );
  }
  return (
    <table className="w-full text-sm" aria-label="Deliveries by channel">
      <thead className="text-xs text-slate-400">
        <tr>
          <th scope="col" className="px-2 py-1 text-left font-normal">
            Channel
          </th>
          <th scope="col" className={`${cell} font-normal`}>
            Queued
          </th>
          <th scope="col" className={`${cell} font-normal`}>
            Sent
          </th>
          <th scope="col" className={`${cell} font-normal`}>
            Failed
          </th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((row) => (
          <tr key={row.channelId} className="border-t border-slate-800">
            <th scope="row" className="px-2 py-1 text-left font-normal text-slate-200">
              {row.channelId}
            </th>
            <td className={cell}>{formatCount(row.queued)}</td>
            <td className={`${cell} text-emerald-300`}>{formatCount(row.sent)}</td>
            <td className={`${cell} ${row.failed > 0 ? "text-rose-400" : ""}`}>{formatCount(row.failed)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
