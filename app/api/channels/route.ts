// GET /api/channels: the configured channels (CHANNELS_FILE or built-in), their rules, target kind and host,
// and how many deliveries each has queued, sent and failed. For operators.
import { channelDirectory, ChannelConfigError } from "../../../server/channels/channel-directory";
import { readChannelOverview } from "../../../server/channels/channel-views";
import { db } from "../../../server/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  let channels;
  try {
    channels = channelDirectory();
  } catch (error) {
    if (!(error instanceof ChannelConfigError)) throw error;
    return Response.json(
      { error: "invalid channel configuration", problems: error.problems },
      { status: 500 },
    );
  }
  return Response.json({ channels: await readChannelOverview(db(), channels) });
}
