// The editors' desk against the real pipeline (demo replay → detector → offline agents): new moments reach
// the inbox live, a peak marker or an inbox row opens the moment panel, and approvals, rejections (with a
// reason), keyboard triage and clip edits persist across a reload with their audit trail.
import { expect, test, type Page } from "@playwright/test";

interface Summary {
  id: string;
  country: string;
  countries: string[];
  status: string;
  peakAt: number;
  headline: string | null;
}

const EDITOR = "Robin Tester";

/** Waits until the pipeline has produced `count` described moments in one country; returns that country. */
async function countryWithDescribed(page: Page, count = 1, except: string[] = []): Promise<string> {
  let country: string | undefined;
  await expect
    .poll(
      async () => {
        const response = await page.request.get(
          `/api/moments?status=described&from=${Date.now() - 25 * 60_000}`,
        );
        const { moments } = (await response.json()) as { moments: Summary[] };
        const perCountry = new Map<string, Summary[]>();
        for (const moment of moments.filter((m) => !except.includes(m.id))) {
          perCountry.set(moment.country, [...(perCountry.get(moment.country) ?? []), moment]);
        }
        country = [...perCountry].find(([, list]) => list.length >= count)?.[0];
        return country;
      },
      { timeout: 300_000, intervals: [5_000] },
    )
    .toBeTruthy();
  return country!;
}

async function showCountry(page: Page, country: string) {
  await page.getByRole("combobox", { name: "Country" }).selectOption(country);
  await expect(page.getByRole("region", { name: /^Traffic in / })).toHaveAttribute("data-country", country);
}

function inbox(page: Page) {
  return page.getByRole("region", { name: /^Moment inbox for / });
}

function rowsOf(page: Page) {
  return inbox(page).getByRole("listbox", { name: "Moments" }).getByRole("option");
}

function panel(page: Page) {
  return page.getByRole("region", { name: "Moment details" });
}

test.describe.configure({ mode: "serial" });

test("a new moment appears in the inbox without a reload", async ({ page, context }) => {
  test.setTimeout(540_000);
  await page.goto("/");
  await expect(page.getByRole("status", { name: "Moments feed: Live" })).toBeVisible({ timeout: 60_000 });
  await countryWithDescribed(page);
  // Moments come to one country every few minutes, unevenly (its sessions end): watch the four countries
  // with the most recent moments, one desk each, and wait for a new row in any of them.
  const recent = await page.request.get(`/api/moments?from=${Date.now() - 15 * 60_000}&limit=500`);
  const perCountry = new Map<string, number>();
  for (const moment of ((await recent.json()) as { moments: Summary[] }).moments) {
    for (const country of moment.countries) perCountry.set(country, (perCountry.get(country) ?? 0) + 1);
  }
  const watched = [...perCountry]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([country]) => country);
  const desks: { page: Page; before: Set<string | null> }[] = [];
  for (const [index, country] of watched.entries()) {
    const desk = index === 0 ? page : await context.newPage();
    if (index > 0) await desk.goto("/");
    await showCountry(desk, country);
    await expect(rowsOf(desk).first()).toBeVisible();
    const ids = await rowsOf(desk).evaluateAll((rows) =>
      rows.map((row) => row.getAttribute("data-moment-id")),
    );
    desks.push({ page: desk, before: new Set(ids) });
  }
  let arrivedOn: Page | undefined;
  await expect
    .poll(
      async () => {
        for (const desk of desks) {
          const ids = await rowsOf(desk.page).evaluateAll((rows) =>
            rows.map((row) => row.getAttribute("data-moment-id")),
          );
          if (ids.some((id) => !desk.before.has(id))) arrivedOn = desk.page;
        }
        return arrivedOn !== undefined;
      },
      { timeout: 420_000, intervals: [2_000] },
    )
    .toBe(true);
  const navigations = await arrivedOn!.evaluate(() => performance.getEntriesByType("navigation").length);
  expect(navigations).toBe(1);
  for (const desk of desks.slice(1)) await desk.page.close();
});

// The streams end every few seconds here (SSE_MAX_STREAM_SECONDS): an approval that lands between two
// streams must still arrive, resumed from the id on the stream's `ready` event.
test("another editor's approval reaches the inbox live, without a reload", async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto("/");
  await expect(page.getByRole("status", { name: "Moments feed: Live" })).toBeVisible({ timeout: 60_000 });
  const country = await countryWithDescribed(page);
  await showCountry(page, country);
  const row = rowsOf(page).and(page.locator('[data-status="described"]')).first();
  await expect(row).toBeVisible();
  const momentId = (await row.getAttribute("data-moment-id"))!;
  const response = await page.request.post(`/api/moments/${momentId}/review`, {
    data: { action: "approve", editor: "Another Desk" },
  });
  expect(response.ok()).toBe(true);
  await expect(inbox(page).locator(`[data-moment-id="${momentId}"]`)).toHaveAttribute(
    "data-status",
    "approved",
  );
  const navigations = await page.evaluate(() => performance.getEntriesByType("navigation").length);
  expect(navigations).toBe(1);
});

test("a peak marker opens its moment; approving asks the editor's name once and persists", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.goto("/");
  const country = await countryWithDescribed(page);
  await showCountry(page, country);
  const focused = page.getByRole("region", { name: /^Traffic in / });
  const marker = focused.locator('.peak-marker[data-status="described"]').first();
  await expect(marker).toBeVisible({ timeout: 60_000 });
  const momentId = (await marker.getAttribute("data-moment-id"))!;
  await marker.click();

  const details = panel(page);
  await expect(details).toHaveAttribute("data-moment-id", momentId);
  await expect(details.getByRole("heading", { name: "Description" })).toBeVisible();
  await expect(details.getByText("Offline text — not written by a model")).toBeVisible();
  await expect(details.getByLabel("Clip in", { exact: true })).toHaveValue(/^\d{2}:\d{2}:\d{2}$/);
  await expect(details.getByLabel("Clip out", { exact: true })).toHaveValue(/^\d{2}:\d{2}:\d{2}$/);
  await expect(details.getByRole("slider", { name: "Clip in handle" })).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: "test-results/e2e/moment-panel-1366.png", fullPage: true });
  await page.setViewportSize({ width: 2560, height: 1440 });
  await page.screenshot({ path: "test-results/e2e/moment-panel-2560.png", fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });

  await details.getByRole("button", { name: "Approve" }).click();
  const who = page.getByRole("dialog", { name: "Who is reviewing?" });
  await expect(who).toBeVisible();
  await who.getByLabel("Your name").fill(EDITOR);
  await who.getByRole("button", { name: "Continue" }).click();
  await expect(details).toHaveAttribute("data-status", "approved");
  await expect(details.getByRole("region", { name: "Audit trail" })).toContainText(`${EDITOR} approved it`);

  await page.reload();
  await page
    .getByRole("region", { name: /^Moment inbox for / })
    .locator(`[data-moment-id="${momentId}"]`)
    .click();
  await expect(panel(page)).toHaveAttribute("data-status", "approved");
  await expect(panel(page).getByRole("region", { name: "Audit trail" })).toContainText(
    `${EDITOR} approved it`,
  );
  await expect(page.getByRole("button", { name: `Editor: ${EDITOR} (change)` })).toBeVisible();
});

test("keyboard triage: j/k move, r rejects with a required reason, a approves", async ({ page }) => {
  test.setTimeout(600_000);
  await page.addInitScript((name) => window.localStorage.setItem("peaklight.editor", name), EDITOR);
  await page.goto("/");
  const country = await countryWithDescribed(page, 2);
  await showCountry(page, country);
  const box = inbox(page);
  await box.getByRole("button", { name: /^Described: / }).click();
  const rows = rowsOf(page);
  await expect(rows.nth(1)).toBeVisible();

  await page.keyboard.press("j");
  await expect(rows.nth(0)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("j");
  await expect(rows.nth(1)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("k");
  await expect(rows.nth(0)).toHaveAttribute("aria-selected", "true");
  const rejectedId = (await rows.nth(0).getAttribute("data-moment-id"))!;
  await expect(panel(page)).toHaveAttribute("data-moment-id", rejectedId);

  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "Reject this moment" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Give a reason");
  await dialog.getByLabel("Reason for rejecting").fill("Same rally as the moment before");
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(dialog).toBeHidden();
  // Filtered by "described", the rejected moment leaves the list at once (optimistic) and stays gone.
  await expect(box.locator(`[data-moment-id="${rejectedId}"]`)).toHaveCount(0);
  await expect(panel(page)).toHaveAttribute("data-status", "rejected");

  await page.keyboard.press("j");
  const approvedId = (await rowsOf(page)
    .and(page.getByRole("option", { selected: true }))
    .getAttribute("data-moment-id"))!;
  // When the server refuses (another editor decided first), the optimistic approval is rolled back and the
  // editor is told why.
  await page.route("**/api/moments/*/review", (route) =>
    route.fulfill({ status: 409, json: { error: "another editor decided first" } }),
  );
  await page.keyboard.press("a");
  await expect(box.getByRole("alert")).toContainText("another editor decided first");
  await expect(panel(page)).toHaveAttribute("data-status", "described");
  await expect(box.locator(`[data-moment-id="${approvedId}"]`)).toHaveAttribute("data-status", "described");
  await page.unroute("**/api/moments/*/review");
  await box.getByRole("button", { name: "Dismiss the error" }).click();

  await page.keyboard.press("a");
  await expect(panel(page)).toHaveAttribute("data-status", "approved");
  await expect(panel(page)).toHaveAttribute("data-moment-id", approvedId);

  // A second approval is refused with a visible error, not silently.
  await page.keyboard.press("a");
  await expect(box.getByRole("alert")).toContainText("cannot be approved");

  await page.reload();
  await box.getByRole("button", { name: /^All: / }).click();
  await box.locator(`[data-moment-id="${rejectedId}"]`).click();
  await expect(panel(page)).toHaveAttribute("data-status", "rejected");
  await expect(panel(page).getByRole("region", { name: "Audit trail" })).toContainText(
    `${EDITOR} rejected it — “Same rally as the moment before”`,
  );
  await box.locator(`[data-moment-id="${approvedId}"]`).click();
  await expect(panel(page)).toHaveAttribute("data-status", "approved");
});

test("editing the clip points saves a new version beside the agents' text", async ({ page, context }) => {
  test.setTimeout(600_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.addInitScript((name) => window.localStorage.setItem("peaklight.editor", name), EDITOR);
  await page.goto("/");
  const country = await countryWithDescribed(page);
  await showCountry(page, country);
  const box = inbox(page);
  await box.getByRole("button", { name: /^Described: / }).click();
  await rowsOf(page).first().click();
  const details = panel(page);
  await expect(details).toHaveAttribute("data-version", "0");
  const momentId = (await details.getAttribute("data-moment-id"))!;

  const clipIn = details.getByLabel("Clip in", { exact: true });
  const clipOut = details.getByLabel("Clip out", { exact: true });
  const aiIn = await clipIn.inputValue();
  const aiOut = await clipOut.inputValue();
  // Drag the out handle to the right, then nudge the in point with the keyboard.
  const outHandle = details.getByRole("slider", { name: "Clip out handle" });
  // Grab the handle on its line (the knob sits beside it), mid-height; the mouse only reaches what is in view.
  await outHandle.scrollIntoViewIfNeeded();
  const line = (await outHandle.locator("line").boundingBox())!;
  const grip = { x: line.x + line.width / 2, y: line.y + line.height / 2 };
  await page.mouse.move(grip.x, grip.y);
  await page.mouse.down();
  await page.mouse.move(grip.x + 40, grip.y, { steps: 5 });
  await page.mouse.up();
  await expect(clipOut).not.toHaveValue(aiOut);
  const inHandle = details.getByRole("slider", { name: "Clip in handle" });
  await inHandle.focus();
  await page.keyboard.press("Shift+ArrowLeft");
  await expect(clipIn).not.toHaveValue(aiIn);
  const draggedOut = await clipOut.inputValue();

  // Typed timecodes are checked.
  await clipIn.fill("1:2:3");
  await expect(details.getByRole("alert")).toContainText("HH:MM:SS");
  await clipIn.fill("00:00:05");
  await expect(inHandle).toHaveAttribute("aria-valuetext", "00:00:05");

  await details.getByRole("button", { name: "Copy in/out" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`00:00:05\t${draggedOut}`);

  await details.getByRole("button", { name: "Edit" }).click();
  await details.getByLabel("Headline").fill("Edited headline for the clip test");
  await details.getByRole("button", { name: "Save as new version" }).click();
  await expect(details).toHaveAttribute("data-version", "1");
  const versions = details.getByRole("region", { name: "Versions" });
  await expect(versions).toContainText(`v1 · ${EDITOR}`);
  await expect(versions).toContainText(`clip 00:00:05 – ${draggedOut}`);
  await expect(versions).toContainText(`clip ${aiIn} – ${aiOut}`);

  await page.reload();
  await box.getByRole("button", { name: /^All: / }).click();
  await box.locator(`[data-moment-id="${momentId}"]`).click();
  await expect(panel(page)).toHaveAttribute("data-version", "1");
  await expect(panel(page).getByRole("heading", { name: "Edited headline for the clip test" })).toBeVisible();
  await expect(panel(page).getByLabel("Clip in", { exact: true })).toHaveValue("00:00:05");
  await expect(panel(page).getByRole("region", { name: "Audit trail" })).toContainText(
    `${EDITOR} saved a new version`,
  );
  await page.mouse.move(0, 0);
  await page.screenshot({ path: "test-results/e2e/moment-edited-1366.png", fullPage: true });
});
