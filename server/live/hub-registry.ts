// The web process's live hubs, created on first use and kept on globalThis across Next.js dev reloads.
import { componentLogger } from "../observability/logger";
import { TrafficHub } from "./traffic-hub";

const globalForHubs = globalThis as unknown as { peaklightTrafficHub?: TrafficHub };

export function trafficHub(): TrafficHub {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Peaklight with `npm start`, which provides it");
  globalForHubs.peaklightTrafficHub ??= new TrafficHub(url, componentLogger("traffic-hub"));
  return globalForHubs.peaklightTrafficHub;
}
