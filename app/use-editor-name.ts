"use client";
// The editor's name, asked once and remembered in this browser: sent as `editor` with every review and edit.
import { useCallback, useEffect, useState } from "react";

const KEY = "peaklight.editor";

export function useEditorName(): [string, (name: string) => void] {
  const [name, setName] = useState("");
  useEffect(() => {
    setName(window.localStorage.getItem(KEY) ?? "");
  }, []);
  const remember = useCallback((next: string) => {
    window.localStorage.setItem(KEY, next.trim());
    setName(next.trim());
  }, []);
  return [name, remember];
}
