// The operators' view on the real app (demo replay → detector → offline agents → queue): once the agents have
// run, /ops shows per-stage figures, the queue and the jobs; a moment's trace waterfall opens from a job's
// "Trace" button and from the moment id field. A screenshot at 1366×768 is kept under test-results/ops/.
import { expect, test, type Page } from "@playwright/test";

interface Summary {
  stages: { stage: string; runs: number }[];
}
interface JobList {
  jobs: { id: string; kind: string; status: string; momentId: string | null }[];
}

/** Waits until the agents have scored and described at least one moment; returns a described moment's id. */
async function describedMoment(page: Page): Promise<string> {
  let momentId: string | undefined;
  await expect
    .poll(
      async () => {
        const response = await page.request.get("/api/ops/jobs?kind=describe-moment&status=done&limit=5");
        const { jobs } = (await response.json()) as JobList;
        momentId = jobs.find((job) => job.momentId !== null)?.momentId ?? undefined;
        return momentId;
      },
      { timeout: 300_000, intervals: [5_000] },
    )
    .toBeTruthy();
  return momentId!;
}

function stageCard(page: Page, label: string) {
  return page.getByRole("article", { name: `Stage ${label}` });
}

function figure(card: ReturnType<typeof stageCard>, name: string) {
  return card.locator("div", { has: card.page().getByText(name, { exact: true }) }).locator("dd");
}

test("operators see stage figures once the agents have run, and open a moment's trace", async ({ page }) => {
  test.setTimeout(420_000);
  const momentId = await describedMoment(page);

  const summary = (await (await page.request.get("/api/ops/summary?window=1h")).json()) as Summary;
  expect(summary.stages.find((stage) => stage.stage === "score")!.runs).toBeGreaterThan(0);

  await page.goto("/");
  await page.getByRole("link", { name: "Operations" }).click();
  await expect(page).toHaveURL(/\/ops$/);

  const scorer = stageCard(page, "Interest scorer");
  await expect(figure(scorer, "Runs")).toHaveText(/^[1-9][\d,.K]*$/);
  await expect(figure(scorer, "Error rate")).toHaveText(/%$/);
  await expect(figure(scorer, "p95 latency")).toHaveText(/\d+(\.\d+)? (ms|s)$/);
  await expect(figure(stageCard(page, "Enrichment & summary"), "Runs")).toHaveText(/^[1-9]/);
  await expect(page.getByRole("table", { name: "Queue depth by job kind" })).toContainText("score-moment");

  // The window picker re-reads the figures for the chosen window.
  await page.getByRole("radio", { name: "Figures over the last 24 hours" }).click();
  await expect(page.getByRole("radio", { name: "Figures over the last 24 hours" })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  await expect(page.getByLabel("Totals")).toContainText("Over the last 24 hours");
  await page.screenshot({ path: "test-results/ops/ops-1366x768.png" });

  // A job's "Trace" opens the waterfall of its moment.
  const jobs = page.getByRole("table", { name: "Jobs" });
  await jobs
    .getByRole("button", { name: /^Open trace of moment / })
    .first()
    .click();
  const trace = page.getByRole("region", { name: "Moment trace" });
  await expect(trace.getByRole("list", { name: /^Agent runs of moment / })).toBeVisible();

  // The moment id field opens any moment's trace: scored, then described, each with its tool calls.
  await trace.getByLabel("Moment id").fill(momentId);
  await trace.getByRole("button", { name: "Open trace" }).click();
  const runs = trace.getByRole("list", { name: `Agent runs of moment ${momentId}` });
  await expect(runs.getByRole("listitem", { name: /^score attempt \d+: ok$/ })).toBeVisible();
  await expect(runs.getByRole("listitem", { name: /^describe attempt \d+: ok$/ })).toBeVisible();
  await expect(trace.getByRole("list", { name: /^Tool calls of score attempt/ }).first()).toBeVisible();

  // A bad id is refused in words, not sent.
  await trace.getByLabel("Moment id").fill("abc");
  await trace.getByRole("button", { name: "Open trace" }).click();
  await expect(trace.getByText(/^Enter a moment id/)).toBeVisible();

  await trace.getByLabel("Moment id").fill(momentId);
  await trace.getByRole("button", { name: "Open trace" }).click();
  await expect(runs).toBeVisible();
  await page.screenshot({ path: "test-results/ops/ops-trace-1366x768.png" });
  await page.screenshot({ path: "test-results/ops/ops-full.png", fullPage: true });

  // "Retry" is only for a failed job: a done one is refused with 409 and left alone.
  const done = (await (await page.request.get("/api/ops/jobs?status=done&limit=1")).json()) as JobList;
  const retry = await page.request.post(`/api/ops/jobs/${done.jobs[0]!.id}/retry`);
  expect(retry.status()).toBe(409);
});
