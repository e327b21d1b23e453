// The admin pages' usage, request-log and system tabs in Debian's Chromium: log in with an operator's admin key, read
// the usage charts' data from Chart.js (not pixels), download the CSV, find a request by its id, open the system tab.
// Fails on nothing itself: it prints one JSON object (what it saw, every console error, page error, failed request and
// request that left the server's origin) for the .NET test to judge, and saves a screenshot of each tab.
//
// Environment: BASE_URL (http://127.0.0.1:port/), API_KEY (operator admin key), TENANT_ID (the tenant whose traffic to
// chart), REQUEST_ID (one to search for), SCREENSHOTS (folder), CHROMIUM (optional path).
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const baseUrl = process.env.BASE_URL;
const origin = new URL(baseUrl).origin;
const screenshots = process.env.SCREENSHOTS;
await mkdir(screenshots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const result = { consoleErrors: [], pageErrors: [], failedRequests: [], offOrigin: [], screenshots: [] };
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  let loggedIn = false;
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // Before login, GET /web/session answers 401 no_session (the contract's "not logged in"), which Chromium logs as a
    // failed load; that one is expected, every other error counts.
    if (!loggedIn && m.location().url === new URL("/web/session", origin).href && /status of 401/.test(m.text())) return;
    result.consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => result.pageErrors.push(String(e)));
  page.on("requestfailed", (r) => result.failedRequests.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.protocol !== "blob:" && url.protocol !== "data:" && url.origin !== origin) result.offOrigin.push(r.url());
  });
  const shot = async (name) => {
    const file = path.join(screenshots, `insight-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    result.screenshots.push(file);
  };

  // Straight to the usage section: the shell opens the section the address names once logged in.
  await page.goto(new URL("admin#usage", baseUrl).toString());
  await login(page, process.env.API_KEY);
  loggedIn = true;

  // Usage: narrow to the test's tenant, then read each chart's labels and data from Chart.js.
  await openTab(page, "Usage");
  await page.locator("#usage-tenant option").nth(1).waitFor({ state: "attached" });
  await page.selectOption("#usage-tenant", process.env.TENANT_ID);
  await page.getByRole("button", { name: "Show" }).click();
  await page.waitForFunction(() => /requests from/.test(document.getElementById("usage-status")?.textContent ?? ""));
  result.charts = await page.evaluate(() => Object.fromEntries(
    ["usage-requests", "usage-characters", "usage-audio", "usage-latency", "usage-errors", "usage-tenants", "usage-keys"].map((id) => {
      const chart = globalThis.Chart.getChart(document.getElementById(id));
      return [id, chart && { type: chart.config.type, labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) }];
    })));
  await shot("usage");

  await page.selectOption("#usage-csv-group", "key");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  result.csv = { fileName: download.suggestedFilename(), text: await readFile(await download.path(), "utf8") };

  // Request log: find the request by its id.
  await openTab(page, "Requests");
  await page.getByLabel("Request id").fill(process.env.REQUEST_ID);
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForFunction(() => /1 request shown/.test(document.getElementById("requests-status-line")?.textContent ?? ""));
  result.requestRows = await page.locator("#requests-results tbody tr").evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent)));
  await shot("requests");

  // System.
  await openTab(page, "System");
  await page.waitForFunction(() => /Checked at/.test(document.getElementById("system-status-line")?.textContent ?? ""));
  result.system = await page.locator("#system-report dl").first().evaluate((dl) =>
    Object.fromEntries([...dl.querySelectorAll("dt")].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
  result.engines = await page.locator("#system-report table").first().locator("tbody tr td:first-child").allTextContents();
  await shot("system");
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

async function login(page, key) {
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
}

async function openTab(page, name) {
  await page.getByRole("link", { name, exact: true }).click();
}
