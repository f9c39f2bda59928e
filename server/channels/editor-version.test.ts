import { describe, expect, it } from "vitest";
import { channelSchema, type ChannelMoment } from "../agents/channels/channel-config";
import { formatForChannel } from "../agents/channels/channel-format";
import { applyEditorVersion, type EditorVersion } from "./editor-version";

const NOW = Date.parse("2026-02-15T14:03:00Z");

const moment: ChannelMoment = {
  key: "hockey|1",
  sport: "hockey",
  peakAt: NOW,
  markets: [{ country: "FI", upliftPct: 50, marketSize: 3_000 }],
  interest: { interesting: true, score: 0.8, reason: "A goal explains it.", causeEventId: "e1" },
  summary: {
    headline: "Virta scores for Finland",
    description: "Elin Virta scored for Finland in the final.",
    story: { text: "Virta's comeback after two knee operations.", citations: ["story-00001"] },
    tags: { athletes: ["Elin Virta"], countries: ["FI"], sport: "hockey", event: "Women's tournament" },
    clip: { sessionId: "s1", in: "00:41:55", out: "00:43:10", reason: "Build-up and goal." },
    causeEventId: "e1",
  },
  generatedBy: "offline",
};

const edit: EditorVersion = {
  version: 2,
  editor: "Maija",
  headline: "Virta's winner <3 for Finland",
  description: "Elin Virta settles the final & Finland takes gold.",
  clipIn: "00:42:05",
  clipOut: "00:42:50",
};

const payloadOf = (format: "feed" | "webhook" | "slack") =>
  JSON.parse(
    JSON.stringify(
      formatForChannel(channelSchema.parse({ id: "c", name: "C", format }), moment, ["FI"], { nowMs: NOW }),
    ),
  ) as unknown;

describe("editor's version in deliveries", () => {
  it("replaces title, summary and clip points of feed items and webhook bodies, saying who edited", () => {
    expect(applyEditorVersion(payloadOf("feed"), edit, "hockey")).toMatchObject({
      format: "feed",
      item: {
        title: edit.headline,
        summary: edit.description,
        clip: { sessionId: "s1", in: "00:42:05", out: "00:42:50" },
        story: { citations: ["story-00001"] },
        editedBy: "Maija",
        version: 2,
      },
    });
    const webhook = applyEditorVersion(payloadOf("webhook"), edit, "hockey") as {
      delivery: { body: string };
    };
    expect(JSON.parse(webhook.delivery.body)).toMatchObject({
      type: "peaklight.moment",
      moment: {
        title: edit.headline,
        clip: { in: "00:42:05", out: "00:42:50", reason: "Build-up and goal." },
      },
    });
  });

  it("rewrites the Slack message's header, description and clip line, escaped", () => {
    const slack = applyEditorVersion(payloadOf("slack"), edit, "hockey") as {
      message: {
        text: string;
        blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
      };
    };
    const { text, blocks } = slack.message;
    expect(text).toBe("Virta's winner &lt;3 for Finland (hockey)");
    expect(blocks[0]!.text!.text).toBe(edit.headline);
    expect(blocks[1]!.text!.text).toBe("Elin Virta settles the final &amp; Finland takes gold.");
    const body = JSON.stringify(blocks);
    expect(body).toContain("Virta's comeback");
    expect(body).toContain("Clip 00:42:05-00:42:50 (s1)");
    expect(body).not.toContain("00:41:55");
    expect(blocks.at(-1)!.elements![0]!.text).toBe("Edited by Maija (version 2).");
  });

  it("drops the clip when the editor removed the points", () => {
    const noClip = { ...edit, clipIn: null, clipOut: null };
    expect(applyEditorVersion(payloadOf("feed"), noClip, "hockey")).toMatchObject({ item: { clip: null } });
    const slack = JSON.stringify(applyEditorVersion(payloadOf("slack"), noClip, "hockey"));
    expect(slack).not.toContain("Clip ");
    expect(applyEditorVersion(null, edit, "hockey")).toBeNull();
  });
});
