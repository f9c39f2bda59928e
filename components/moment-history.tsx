"use client";
// What happened to a moment: its versions (the agents' text and each editor's), the audit trail (who did
// what, when and why), and what each channel decided and delivered.
import type { MomentDetail } from "../server/moments/moment-views";
import { SectionHeading } from "./moment-facts";

const when = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

const ACTIONS: Record<string, string> = {
  opened: "opened it",
  scored: "scored it",
  described: "described it",
  routed: "routed it to channels",
  approved: "approved it",
  rejected: "rejected it",
  edited: "saved a new version",
  delivered: "delivered it",
  delivery_failed: "failed to deliver it",
};

const Heading = SectionHeading;

export function MomentHistory({ detail }: { detail: MomentDetail }) {
  const aiAuthor =
    detail.generatedBy === "offline" ? "Agents (offline — not written by a model)" : "Agents (model)";
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <section aria-label="Versions">
        <Heading>Versions</Heading>
        <ol className="space-y-2 text-sm">
          <li className={detail.version === 0 ? "rounded bg-slate-800/70 p-2" : "p-2"}>
            <div className="text-xs text-slate-400">
              v0 · {aiAuthor}
              {detail.version === 0 && " · current"}
            </div>
            <div>{detail.ai.headline ?? "No headline yet"}</div>
            <div className="text-xs text-slate-400 tabular-nums">
              clip {detail.ai.clipIn ?? "—"} – {detail.ai.clipOut ?? "—"}
            </div>
          </li>
          {detail.versions.map((version) => (
            <li
              key={version.version}
              data-version={version.version}
              className={version.version === detail.version ? "rounded bg-slate-800/70 p-2" : "p-2"}
            >
              <div className="text-xs text-slate-400">
                v{version.version} · {version.editor} · {when.format(version.createdAt)}
                {version.version === detail.version && " · current"}
              </div>
              <div>{version.headline}</div>
              <div className="text-xs text-slate-400 tabular-nums">
                clip {version.clipIn ?? "—"} – {version.clipOut ?? "—"}
              </div>
              {version.note && <div className="text-xs text-slate-300 italic">“{version.note}”</div>}
            </li>
          ))}
        </ol>
      </section>
      <section aria-label="Audit trail">
        <Heading>Audit trail</Heading>
        {detail.audit.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing recorded yet.</p>
        ) : (
          <ol className="space-y-1 text-sm">
            {detail.audit.map((entry) => (
              <li key={entry.id} data-action={entry.action}>
                <span className="text-xs text-slate-400 tabular-nums">{when.format(entry.at)}</span>{" "}
                <span className="font-medium">{entry.actor}</span> {ACTIONS[entry.action] ?? entry.action}
                {entry.reason && <span className="text-slate-300"> — “{entry.reason}”</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-label="Channels">
        <Heading>Channels</Heading>
        {detail.decisions.length === 0 ? (
          <p className="text-sm text-slate-500">No channel has decided yet.</p>
        ) : (
          <ul className="space-y-1.5 text-sm">
            {detail.decisions.map((decision) => {
              const delivery = detail.deliveries.find((d) => d.channelId === decision.channelId);
              return (
                <li key={decision.channelId}>
                  <span className="font-medium">{decision.channelId}</span>{" "}
                  <span className={decision.decision === "send" ? "text-emerald-300" : "text-slate-400"}>
                    {decision.decision === "send" ? "will send" : "skips"}
                  </span>
                  <div className="text-xs text-slate-400">{decision.reason}</div>
                  {delivery && (
                    <div className="text-xs text-slate-300">
                      Delivery: {delivery.status}
                      {delivery.attempts > 1 && ` after ${delivery.attempts} attempts`}
                      {delivery.sentAt !== null && ` at ${when.format(delivery.sentAt)}`}
                      {delivery.error && <span className="text-rose-300"> — {delivery.error}</span>}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
