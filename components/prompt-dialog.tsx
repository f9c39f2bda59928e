"use client";
// A modal that asks one thing before an action goes ahead: the reason for a rejection, or the editor's name.
// The native <dialog> gives focus trapping and Escape to cancel.
import { useEffect, useId, useRef, useState } from "react";

export interface PromptDialogProps {
  title: string;
  /** Accessible name and visible label of the text field. */
  label: string;
  description?: string;
  initial?: string;
  multiline?: boolean;
  minLength: number;
  /** Says what is missing when the text is too short. */
  tooShort: string;
  submitLabel: string;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}

export function PromptDialog(props: PromptDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [value, setValue] = useState(props.initial ?? "");
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const submit = () => {
    if (value.trim().length < props.minLength) {
      setProblem(props.tooShort);
      return;
    }
    props.onSubmit(value.trim());
  };
  const field = "w-full rounded border border-slate-600 bg-slate-950 px-2 py-1.5 text-sm text-slate-100";
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
      className="m-auto w-[min(92vw,440px)] rounded-lg border border-slate-600 bg-slate-900 p-0 text-slate-100 backdrop:bg-black/60"
    >
      <form
        method="dialog"
        className="flex flex-col gap-3 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <h2 id={titleId} className="text-base font-semibold">
          {props.title}
        </h2>
        {props.description && <p className="text-sm text-slate-400">{props.description}</p>}
        <label className="flex flex-col gap-1 text-sm text-slate-300">
          {props.label}
          {props.multiline ? (
            <textarea
              autoFocus
              rows={3}
              className={field}
              value={value}
              onChange={(event) => setValue(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) submit();
              }}
            />
          ) : (
            <input
              autoFocus
              className={field}
              value={value}
              onChange={(event) => setValue(event.target.value)}
            />
          )}
        </label>
        {problem && (
          <p role="alert" className="text-sm text-rose-300">
            {problem}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={props.onCancel}
            className="rounded border border-slate-600 px-3 py-1 text-sm hover:bg-slate-800"
          >
            Cancel
          </button>
          <button
            type="submit"
            className="rounded bg-amber-500 px-3 py-1 text-sm font-medium text-slate-950 hover:bg-amber-400"
          >
            {props.submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
