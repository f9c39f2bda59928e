// An editor sees the expected band around a sport's line and peak markers where the audience reacted, and
// opens one to read what the detector measured (or, once the agents made it a moment, the moment itself).
import { expect, test, type Page } from "@playwright/test";

interface Peak {
  country: string;
  kind: string;
}

/** The country of the first peak the detector stores (the demo produces one every ~20 s at 12×). */
async function firstPeakCountry(page: Page): Promise<string> {
  let country: string | undefined;
  await expect
    .poll(
      async () => {
        const response = await page.request.get(`/api/anomalies?from=${Date.now() - 30 * 60_000}`);
        const { anomalies } = (await response.json()) as { anomalies: Peak[] };
        country = anomalies.find((anomaly) => anomaly.kind === "peak")?.country;
        return country;
      },
      { timeout: 240_000, intervals: [5_000] },
    )
    .toBeTruthy();
  return country!;
}

test("draws the expected band and peak markers, and opens a peak's details", async ({ page }) => {
  test.setTimeout(360_000);
  await page.goto("/");
  const country = await firstPeakCountry(page);
  await page.getByRole("combobox", { name: "Country" }).selectOption(country);
  const focused = page.getByRole("region", { name: /^Traffic in / });
  await expect(focused).toHaveAttribute("data-country", country);

  const markers = focused.getByRole("button", { name: /^Peak: / });
  await expect(markers.first()).toBeVisible({ timeout: 60_000 });
  // A peak the agents turned into a moment opens the moment panel; one without a moment yet, the detector's facts.
  const withoutMoment = focused.locator(".peak-marker:not([data-moment-id])");
  const marker = (await withoutMoment.count()) > 0 ? withoutMoment.first() : markers.first();
  await marker.click();
  const peakPanel = page.getByRole("complementary", { name: "Peak details" });
  const momentPanel = page.getByRole("region", { name: "Moment details" });
  const panel = peakPanel.or(momentPanel);
  await expect(panel).toBeVisible();
  if (await peakPanel.isVisible()) {
    await expect(peakPanel.getByText("Observed")).toBeVisible();
    await expect(peakPanel.getByText("Uplift", { exact: true })).toBeVisible();
  } else {
    await expect(momentPanel.getByRole("heading", { name: "Markets" })).toBeVisible();
  }

  // Selecting a peak shows its sport's band.
  await expect.poll(async () => Number(await focused.getAttribute("data-band-points"))).toBeGreaterThan(0);
  await expect(focused.locator(".expected-band path").first()).toBeVisible();
  await page.mouse.move(0, 0); // the hover tooltip would cover the chart in the screenshot
  await page.screenshot({ path: "test-results/e2e/peak-panel-1366.png", fullPage: true });

  await page.setViewportSize({ width: 2560, height: 1440 });
  await expect(panel).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/peak-panel-2560.png", fullPage: true });

  await panel.getByRole("button", { name: /^Close (peak|moment) details$/ }).click();
  await expect(panel).toBeHidden();

  // Drag across the chart to zoom into a range of time, then reset.
  await page.setViewportSize({ width: 1366, height: 768 });
  const plot = (await focused.locator(".recharts-cartesian-grid").boundingBox())!;
  await page.mouse.move(plot.x + plot.width * 0.4, plot.y + plot.height / 2);
  await page.mouse.down();
  await page.mouse.move(plot.x + plot.width * 0.7, plot.y + plot.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(focused).toHaveAttribute("data-zoomed", "true");
  await expect(focused.getByText(/^Zoomed to /)).toBeVisible();
  await focused.getByRole("button", { name: "Reset zoom" }).click();
  await expect(focused).toHaveAttribute("data-zoomed", "false");
});
