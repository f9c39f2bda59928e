// An editor opens the dashboard and watches live traffic: a chart per country appears, and it moves as the
// worker stores new buckets, without a reload.
import { expect, test } from "@playwright/test";

test("shows a live chart per country that changes as new buckets arrive", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Peaklight/ })).toBeVisible();
  await expect(page.getByRole("status", { name: /Live connection: Live/ })).toBeVisible();

  const focused = page.getByRole("region", { name: /^Traffic in / });
  await expect(focused).toBeVisible({ timeout: 60_000 });
  const lines = focused.locator(".recharts-line path.recharts-curve");
  await expect(lines.first()).toBeVisible();
  expect(await lines.count()).toBeGreaterThanOrEqual(3); // one line per sport

  const before = await lines.first().getAttribute("d");
  const rowsBefore = await focused.getAttribute("data-recent-actions");
  // A 10-second window completes and is pushed over SSE: the line's shape changes with no reload.
  await expect.poll(async () => lines.first().getAttribute("d"), { timeout: 40_000 }).not.toBe(before);
  await expect
    .poll(async () => focused.getAttribute("data-recent-actions"), { timeout: 40_000 })
    .not.toBe(rowsBefore);
  const navigations = await page.evaluate(() => performance.getEntriesByType("navigation").length);
  expect(navigations).toBe(1);

  await expect(page.getByRole("button", { name: /^Show / })).toHaveCount(8);
  await page.screenshot({ path: "test-results/e2e/live-view.png", fullPage: true });
});

test("remembers the chosen country across a reload", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Show Kenya" }).click();
  await expect(page.getByRole("region", { name: "Traffic in Kenya" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("region", { name: "Traffic in Kenya" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Country" })).toHaveValue("KE");
});
