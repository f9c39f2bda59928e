import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ChannelConfigError, loadChannels } from "./channel-directory";
import { configuredChannels } from "./configured-channels";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peaklight-channels-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(content: unknown): string {
  const target = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(target, typeof content === "string" ? content : JSON.stringify(content));
  return target;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ChannelConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ChannelConfigError");
}

describe("channel configuration", () => {
  it("defaults to the built-in feed and Slack, the Slack one unconfigured without its variable", () => {
    const channels = loadChannels({ env: {} });
    expect(channels.map(({ channel, target }) => [channel.id, channel.format, target.type])).toEqual([
      ["editors-feed", "feed", "feed"],
      ["newsroom-slack", "slack", "slack"],
    ]);
    expect(channels[1]!.target).toMatchObject({
      url: null,
      missing: expect.stringContaining("SLACK_WEBHOOK_URL"),
    });
    expect(
      loadChannels({ env: { SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" } })[1]!.target,
    ).toEqual({ type: "slack", url: "https://hooks.slack.com/services/T/B/x", missing: null });
    expect(configuredChannels().map((channel) => channel.id)).toEqual(["editors-feed", "newsroom-slack"]);
  });

  it("reads a channels file, taking secrets from the variables it names", () => {
    const channels = loadChannels({
      file: file({
        channels: [
          {
            id: "partner",
            name: "Partner",
            rules: { sports: ["hockey"] },
            target: { type: "webhook", url: "https://partner.example/hooks", secretEnv: "PARTNER_SECRET" },
          },
          { id: "feed", name: "Feed", target: { type: "feed" } },
        ],
      }),
      env: { PARTNER_SECRET: "s3cret" },
    });
    expect(channels[0]).toMatchObject({
      channel: { id: "partner", format: "webhook", rules: { sports: ["hockey"], minScore: 0.5 } },
      target: { type: "webhook", url: "https://partner.example/hooks", secret: "s3cret" },
    });
    expect(channels[1]!.channel.format).toBe("feed");
  });

  it("names the file, the entry and the problem", () => {
    expect(problemsOf(() => loadChannels({ file: path.join(dir, "nope.json") }))[0]).toMatch(
      /CHANNELS_FILE .*nope\.json: cannot read it \(ENOENT\)/,
    );
    expect(problemsOf(() => loadChannels({ file: file("{oops") }))[0]).toMatch(/not valid JSON/);
    const bad = problemsOf(() =>
      loadChannels({
        file: file({
          channels: [
            { id: "Bad Id", name: "x", target: { type: "feed" } },
            { id: "hook", name: "Hook", target: { type: "webhook", url: "ftp://x", secretEnv: "S" } },
            { id: "slack", name: "Slack", target: { type: "slack" } },
            { id: "pager", name: "Pager", target: { type: "pager" } },
          ],
        }),
      }),
    );
    expect(bad.join("\n")).toContain("channels.0.id: expected a slug");
    expect(bad.join("\n")).toContain("channels.1.target.url: expected an http(s):// URL");
    expect(bad.join("\n")).toContain(
      "channels.2.target: give the incoming-webhook URL either as url or as urlEnv",
    );
    expect(bad.join("\n")).toMatch(/channels\.3\.target\.type/);
    expect(
      problemsOf(() =>
        loadChannels({
          file: file({
            channels: [
              { id: "a", name: "A", target: { type: "feed" } },
              { id: "a", name: "A again", target: { type: "feed" } },
            ],
          }),
        }),
      ),
    ).toEqual([expect.stringContaining("channel ids must be unique")]);
    expect(
      problemsOf(() =>
        loadChannels({
          file: file({
            channels: [
              {
                id: "hook",
                name: "Hook",
                target: { type: "webhook", url: "https://x.example", secretEnv: "HOOK_SECRET" },
              },
              { id: "desk", name: "Desk", target: { type: "slack", urlEnv: "DESK_SLACK_URL" } },
            ],
          }),
          env: {},
        }),
      ),
    ).toEqual([
      "channel hook: HOOK_SECRET is not set (the webhook's signing secret)",
      "channel desk: DESK_SLACK_URL is not set (the Slack incoming-webhook URL)",
    ]);
  });
});
