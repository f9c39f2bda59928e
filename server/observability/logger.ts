// Structured logging for every process: pino, one JSON event per line, ids as fields. LOG_FORMAT=pretty (the
// default on a terminal) renders the same events for people.
import pino, { type Logger } from "pino";
import { getConfig } from "../config/env";

let root: Logger | undefined;

export function logger(): Logger {
  if (root) return root;
  const config = getConfig();
  const pretty = (config.LOG_FORMAT ?? (process.stdout.isTTY ? "pretty" : "json")) === "pretty";
  root = pino({
    level: config.LOG_LEVEL,
    base: { proc: process.env.PEAKLIGHT_PROCESS ?? "peaklight" },
    ...(pretty
      ? {
          transport: {
            target: "pino-pretty",
            options: { colorize: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" },
          },
        }
      : {}),
  });
  return root;
}

/** A child logger for one component, e.g. logger for "stream-worker" with { component }. */
export function componentLogger(component: string, fields: Record<string, unknown> = {}): Logger {
  return logger().child({ component, ...fields });
}
