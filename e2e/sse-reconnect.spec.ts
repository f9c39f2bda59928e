// The server ends live streams after SSE_MAX_STREAM_SECONDS (5 s in the e2e server): the browser reconnects
// with Last-Event-ID each time, the chart keeps moving without a reload, and the badge comes back to Live.
import { expect, test } from "@playwright/test";

test("keeps the chart updating across server-side stream closes", async ({ page }) => {
  // Last-Event-ID is added by the browser's network stack: only allHeaders() sees it.
  const streams: Promise<string | undefined>[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/live/traffic") {
      streams.push(request.allHeaders().then((headers) => headers["last-event-id"]));
    }
  });
  await page.goto("/");
  const focused = page.getByRole("region", { name: /^Traffic in / });
  await expect(focused).toBeVisible({ timeout: 60_000 });
  const line = focused.locator(".recharts-line path.recharts-curve").first();
  await expect(line).toBeVisible();

  const shapes = new Set<string>();
  await expect
    .poll(
      async () => {
        shapes.add((await line.getAttribute("d")) ?? "");
        return streams.length >= 5 && shapes.size >= 3;
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBe(true);

  // Every reconnect resumed after the last change the browser applied.
  const lastEventIds = await Promise.all(streams.slice(1));
  expect(lastEventIds.filter((id) => id !== undefined).length).toBeGreaterThanOrEqual(3);
  await expect(page.getByRole("status", { name: "Live connection: Live" })).toBeVisible({ timeout: 15_000 });
  const navigations = await page.evaluate(() => performance.getEntriesByType("navigation").length);
  expect(navigations).toBe(1);
  // Still moving after the reconnects.
  const after = await line.getAttribute("d");
  await expect.poll(async () => line.getAttribute("d"), { timeout: 30_000 }).not.toBe(after);
});
