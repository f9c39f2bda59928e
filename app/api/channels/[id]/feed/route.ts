// GET /api/channels/[id]/feed[?limit=50]: the moments delivered to a feed channel, newest first, as JSON.
import { channelDirectory, ChannelConfigError } from "../../../../../server/channels/channel-directory";
import { feedQuerySchema, readFeed } from "../../../../../server/channels/channel-views";
import { db } from "../../../../../server/db/client";
import { parseQuery } from "../../../query-params";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  const query = parseQuery(feedQuerySchema, request.url);
  if (!query.ok) return query.response;
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
  const configured = channels.find((entry) => entry.channel.id === id);
  if (!configured || configured.target.type !== "feed") {
    return Response.json(
      {
        error: `no feed channel "${id}"`,
        feeds: channels.filter((c) => c.target.type === "feed").map((c) => c.channel.id),
      },
      { status: 404 },
    );
  }
  const items = await readFeed(db(), id, query.value.limit);
  return Response.json({ channel: { id, name: configured.channel.name }, items });
}
