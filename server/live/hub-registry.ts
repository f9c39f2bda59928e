// The web process's live hub (one LISTEN connection for every channel) and its moment feed, created on first
// use and kept on globalThis across Next.js dev reloads.
import { db } from "../db/client";
import { componentLogger } from "../observability/logger";
import { LiveHub } from "./live-hub";
import { MomentFeed } from "./moment-feed";

const globalForLive = globalThis as unknown as {
  peaklightLiveHub?: LiveHub;
  peaklightMomentFeed?: MomentFeed;
};

export function liveHub(): LiveHub {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Peaklight with `npm start`, which provides it");
  globalForLive.peaklightLiveHub ??= new LiveHub(url, componentLogger("live-hub"));
  return globalForLive.peaklightLiveHub;
}

export function momentFeed(): MomentFeed {
  globalForLive.peaklightMomentFeed ??= new MomentFeed(liveHub(), db(), componentLogger("moment-feed"));
  return globalForLive.peaklightMomentFeed;
}
