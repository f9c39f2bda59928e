// An editor widens the chart from the live half hour to the last day (read from the minute rollups) or a
// custom range, and the choice is remembered.
import { expect, test } from "@playwright/test";

test("switches to the last day from the rollups and remembers it", async ({ page }) => {
  await page.goto("/");
  const focused = page.getByRole("region", { name: /^Traffic in / });
  await expect(focused).toHaveAttribute("data-resolution", "live", { timeout: 60_000 });

  const range = page.getByRole("group", { name: "Time range" });
  await range.getByRole("button", { name: "Last day" }).click();
  await expect(focused).toHaveAttribute("data-resolution", "minute");
  await expect(focused.locator(".recharts-line path.recharts-curve").first()).toBeVisible();
  await expect(focused.getByText(/minute rollups/)).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/range-day-1366.png", fullPage: true });

  await page.reload();
  await expect(range.getByRole("button", { name: "Last day" })).toHaveAttribute("aria-pressed", "true");
  await expect(focused).toHaveAttribute("data-resolution", "minute");

  await range.getByRole("button", { name: "Last 2 h" }).click();
  await expect(focused).toHaveAttribute("data-resolution", "live");
});

test("reads a custom range and explains a bad one", async ({ page }) => {
  await page.goto("/");
  const focused = page.getByRole("region", { name: /^Traffic in / });
  await expect(focused).toBeVisible({ timeout: 60_000 });
  await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "Custom" }).click();
  const start = page.getByLabel("Range start");
  const end = page.getByLabel("Range end");
  await expect(start).toBeVisible();
  // The prefilled range is the last two hours: read at the raw resolution.
  await expect(focused).toHaveAttribute("data-resolution", "raw");
  await page.screenshot({ path: "test-results/e2e/range-custom-1366.png", fullPage: true });

  const endValue = await end.inputValue();
  await start.fill(endValue);
  await expect(page.getByRole("alert").filter({ hasText: "start" })).toHaveText(
    "The start must be before the end.",
  );
});

test("rejects a series request that is not a valid range", async ({ request }) => {
  const bad = await request.get("/api/traffic/series?country=fr&from=10&to=5");
  expect(bad.status()).toBe(400);
  const body = (await bad.json()) as { problems: string[] };
  expect(body.problems.join(" ")).toMatch(/country/);
});
