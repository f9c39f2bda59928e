// The channels this deployment delivers to: read once from CHANNELS_FILE (or the built-in list), validated
// with zod, secrets resolved from the environment variables the file names. A problem stops the process at
// start with a message naming the file, the entry and what is wrong.
import fs from "node:fs";
import { z } from "zod";
import { getConfig } from "../config/env";
import { BUILT_IN_CHANNELS } from "./configured-channels";
import {
  channelEntrySchema,
  channelsFileSchema,
  type ChannelEntry,
  type ChannelTarget,
  type ConfiguredChannel,
} from "./channel-targets";

export class ChannelConfigError extends Error {
  override name = "ChannelConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid channel configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

type Env = Record<string, string | undefined>;

function issuesOf(error: z.ZodError, where: string): string[] {
  return error.issues.map((issue) => `${where}: ${issue.path.join(".") || "(file)"}: ${issue.message}`);
}

function resolveTarget(entry: ChannelEntry, env: Env, problems: string[]): ChannelTarget {
  const { channel, target } = entry;
  const value = (name: string) => (env[name] === "" ? undefined : env[name]);
  switch (target.type) {
    case "feed":
      return { type: "feed" };
    case "webhook": {
      const secret = value(target.secretEnv);
      if (!secret) {
        problems.push(`channel ${channel.id}: ${target.secretEnv} is not set (the webhook's signing secret)`);
      }
      return { type: "webhook", url: target.url, secret: secret ?? "" };
    }
    case "slack": {
      if (target.url) return { type: "slack", url: target.url, missing: null };
      const name = target.urlEnv!;
      const url = value(name);
      if (!url) {
        const missing = `${name} is not set (the Slack incoming-webhook URL)`;
        if (!target.optional) problems.push(`channel ${channel.id}: ${missing}`);
        return { type: "slack", url: null, missing };
      }
      if (!z.url({ protocol: /^https?$/ }).safeParse(url).success) {
        problems.push(`channel ${channel.id}: ${name} is not an http(s):// URL`);
      }
      return { type: "slack", url, missing: null };
    }
  }
}

/** Reads and validates the channels: from `file` when given, else the built-in ones. Throws ChannelConfigError. */
export function loadChannels(options: { file?: string; env?: Env } = {}): ConfiguredChannel[] {
  const env = options.env ?? process.env;
  let entries: ChannelEntry[];
  if (options.file) {
    const where = `CHANNELS_FILE ${options.file}`;
    let text: string;
    try {
      text = fs.readFileSync(options.file, "utf8");
    } catch (error) {
      throw new ChannelConfigError([`${where}: cannot read it (${(error as NodeJS.ErrnoException).code})`]);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ChannelConfigError([`${where}: not valid JSON (${(error as Error).message})`]);
    }
    const parsed = channelsFileSchema.safeParse(json);
    if (!parsed.success) throw new ChannelConfigError(issuesOf(parsed.error, where));
    entries = parsed.data.channels;
  } else {
    entries = BUILT_IN_CHANNELS.map((entry) => channelEntrySchema.parse(entry));
  }
  const problems: string[] = [];
  const channels = entries.map((entry) => ({
    channel: entry.channel,
    target: resolveTarget(entry, env, problems),
  }));
  if (problems.length > 0) throw new ChannelConfigError(problems);
  return channels;
}

const globalForChannels = globalThis as unknown as { peaklightChannels?: ConfiguredChannel[] };

/** This process's channels (CHANNELS_FILE or built-in), read on first use. */
export function channelDirectory(): ConfiguredChannel[] {
  globalForChannels.peaklightChannels ??= loadChannels({ file: getConfig().CHANNELS_FILE });
  return globalForChannels.peaklightChannels;
}

/** For process entry points: the channels, or the problems on stderr and exit code 2. */
export function channelDirectoryOrExit(): ConfiguredChannel[] {
  try {
    return channelDirectory();
  } catch (error) {
    if (!(error instanceof ChannelConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
