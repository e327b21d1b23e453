// Drives the admin dashboard (/admin) in Debian's Chromium as a new operator would: log in with the printed admin key
// (keyboard only), create a tenant whose name is an HTML injection, create a key for it (keyboard only) and copy it,
// reload (the key is gone), revoke it, and check from Node that requests with the key work before and fail after.
// Records console errors, page errors, failed requests and any request that leaves the server's origin; saves a
// screenshot of each page. Prints one JSON object.
//
// Environment: BASE_URL (http://127.0.0.1:port/), API_KEY (an admin key of the default tenant), SCREENSHOTS (a folder),
// CHROMIUM (optional path).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = new URL(process.env.BASE_URL);
const apiKey = process.env.API_KEY;
const shots = process.env.SCREENSHOTS;
const tenantName = "<img src=x onerror=window.__injected=1>";
const tenantSlug = "browser-co";
await mkdir(shots, { recursive: true });

// Chromium logs every non-2xx fetch as a console error; the only one the pages expect is GET /web/session's 401
// while nobody is logged in.
const expectedNetworkErrors = [new URL("web/session", base).toString()];
const result = { consoleErrors: [], expectedNetworkErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [], screenshots: [] };

async function speak(key) {
  const response = await fetch(new URL("v1/tts", base), {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ text: "Hello from the new key.", voice_id: "james-en-us", format: "wav" }),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, contentType: response.headers.get("content-type"), bytes: body.length, riff: body.subarray(0, 4).toString("latin1") };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ baseURL: base.toString(), viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base.origin });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const url = message.location()?.url ?? "";
    const expected = message.text().includes("401") && expectedNetworkErrors.includes(url);
    (expected ? result.expectedNetworkErrors : result.consoleErrors).push(`${message.text()} ${url}`);
  });
  page.on("pageerror", (error) => result.pageErrors.push(String(error)));
  page.on("requestfailed", (request) => result.failedRequests.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.protocol !== "blob:" && url.origin !== base.origin) result.foreignRequests.push(request.url());
  });
  page.on("dialog", (dialog) => dialog.accept());

  const shot = async (name) => {
    const path = join(shots, `admin-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    result.screenshots.push(path);
  };
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return "body";
    return e.id || (e.type === "checkbox" ? `checkbox:${e.value}` : `${e.tagName.toLowerCase()}:${e.textContent.trim()}`);
  });
  // The distinct controls Tab visits from the focused one until `last` (a date-time field takes several presses).
  const tabOrder = async (last, limit = 30) => {
    const order = [await focused()];
    for (let i = 0; i < limit && order.at(-1) !== last; i++) {
      await page.keyboard.press("Tab");
      const now = await focused();
      if (now !== order.at(-1)) order.push(now);
    }
    return order;
  };

  try {
    await run();
  } catch (error) {
    // What the page showed when a step timed out: its error line, a screenshot, and everything recorded so far.
    await shot("failure").catch(() => {});
    const shown = await page.locator("#section-error, #login-error").allTextContents().catch(() => []);
    console.error(JSON.stringify({ ...result, shown }));
    throw error;
  }
  console.log(JSON.stringify(result));

  async function run() {
    // Log in with the keyboard alone: Tab from the top of the page reaches the key field, then the button; Enter submits.
    await page.goto("/admin", { waitUntil: "networkidle" });
    await page.locator("#login-key").waitFor();
    await shot("login");
    // From the page's first control: the hidden nav and logout are skipped, the field and its button follow.
    await page.locator("header .brand").focus();
    result.loginTabOrder = await tabOrder("button:Log in");
    await page.locator("#login-key").focus();
    await page.keyboard.type(apiKey);
    await page.keyboard.press("Enter");
    await page.locator("#who-name").waitFor({ state: "visible" });
    result.loggedInAs = await page.locator("#who-name").textContent();

    // Tenants: one named as an HTML injection shows as text and runs nothing.
    await page.locator("#tenant-form").waitFor({ state: "visible" });
    await page.fill("#tenant-name", tenantName);
    await page.fill("#tenant-slug", tenantSlug);
    await page.click("#tenant-form button[type=submit]");
    const tenantRow = page.locator(`tr[data-tenant="${tenantSlug}"]`);
    await tenantRow.waitFor();
    result.tenantNameShown = await tenantRow.locator("td").first().textContent();
    result.imagesInSection = await page.locator("#section img").count();
    result.injectionRan = await page.evaluate(() => window.__injected === 1);
    await shot("tenants");

    // Keys: choose the tenant, walk the form with Tab, then type a name and submit it with Enter.
    await page.click('#nav a[data-tab="keys"]');
    await page.locator("#keys-tenant").waitFor();
    await page.selectOption("#keys-tenant", { label: `${tenantName} (${tenantSlug})` });
    await page.locator("#section table caption").filter({ hasText: "0 keys" }).waitFor();
    await page.locator("#new-name").focus();
    result.keyFormTabOrder = await tabOrder("create-key");
    await page.locator("#new-name").focus();
    await page.keyboard.type("browser key");
    await page.keyboard.press("Enter");
    await page.locator("#new-key").waitFor();
    const key = (await page.locator("#new-key").textContent()).trim();
    result.keyShown = key.slice(0, 8);
    await page.click("#copy-key");
    await page.locator("#secret").filter({ hasText: "Copied." }).waitFor();
    result.clipboardMatches = (await page.evaluate(() => navigator.clipboard.readText())) === key;
    const prefix = await page.locator("#section tbody tr code").first().textContent();
    result.prefixMatches = key.startsWith(prefix);
    await shot("keys-created");
    result.before = await speak(key);

    // A reload shows the key's row but never its secret again.
    await page.reload({ waitUntil: "networkidle" });
    await page.locator("#keys-tenant").waitFor();
    await page.selectOption("#keys-tenant", { label: `${tenantName} (${tenantSlug})` });
    const keyRow = page.locator(`tr[data-key="${prefix}"]`);
    await keyRow.waitFor();
    result.secretAfterReload = (await page.locator("body").innerText()).includes(key) || (await page.content()).includes(key);

    // Revoke it in the page; requests with it fail from then on.
    await keyRow.locator('button[data-action="revoke"]').click();
    await keyRow.locator(".badge.revoked").waitFor();
    await shot("keys-revoked");
    result.after = await speak(key);

    await page.click('#nav a[data-tab="voices"]');
    await page.locator("#section tr[data-voice]").first().waitFor();
    result.voiceRows = await page.locator("#section tr[data-voice]").count();
    await shot("voices");

    await page.click("#logout");
    await page.locator("#login-form").waitFor({ state: "visible" });
    result.loggedOut = true;
  }
} finally {
  await browser.close();
}
