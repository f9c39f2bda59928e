// The traffic channel of the live hub: committed bucket changes (NOTIFY peaklight_traffic), parsed once per
// notification for every live traffic client of the process.
import { parseChanges, TRAFFIC_CHANNEL, type BucketChange } from "../traffic/live-channel";
import type { LiveEvent, LiveTopic } from "./live-hub";

export const trafficTopic: LiveTopic<BucketChange[]> = { channel: TRAFFIC_CHANNEL, parse: parseChanges };

export type TrafficEvent = LiveEvent<BucketChange[]>;
