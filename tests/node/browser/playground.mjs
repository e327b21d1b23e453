// Drives the playground at "/" in Debian's Chromium as a person would: log in with a key (a wrong one first), walk the
// form with the keyboard, speak a few sentences, download the file and copy the request as code. Hooks added before the
// page loads record what the page fed to Web Audio (every AudioBufferSourceNode started: its samples and when) and each
// word's highlight as it happens. Prints one JSON object for the .NET test to judge.
//
// Environment: BASE_URL (http://127.0.0.1:port/), API_KEY (a key with tts:write), TEXT, VOICE, FORMAT, RATE, OUT (a folder
// for the downloaded file), SCREENSHOTS (a folder for them), CHROMIUM (optional path).
import path from "node:path";
import { chromium } from "playwright-core";

const baseUrl = new URL(process.env.BASE_URL);
const apiKey = process.env.API_KEY;
const text = process.env.TEXT;
const voice = process.env.VOICE ?? "james-en-us";
const format = process.env.FORMAT ?? "mp3";
const rate = process.env.RATE ?? "22050";
const out = process.env.OUT;
const screenshots = process.env.SCREENSHOTS;

// Runs in the page before its scripts: wraps AudioBufferSourceNode.start and watches the words' classes.
function hooks() {
  window.__played = [];
  window.__highlights = [];
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (when, ...rest) {
    const samples = this.buffer.getChannelData(0);
    let sum = 0;
    for (const s of samples) sum += s * s;
    window.__played.push({ length: samples.length, sampleRate: this.buffer.sampleRate, sumSquares: sum, when, at: performance.now() });
    return start.call(this, when, ...rest);
  };
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (!el.classList?.contains("word")) continue;
      const state = el.classList.contains("current") ? "current" : el.classList.contains("spoken") ? "spoken" : null;
      if (!state) continue;
      const index = [...el.parentElement.querySelectorAll(".word")].indexOf(el);
      window.__highlights.push({ index, word: el.textContent, state, at: performance.now() });
    }
  });
  document.addEventListener("DOMContentLoaded", () =>
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["class"] }));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // Root in CI: Chromium's sandbox needs user namespaces that containers often lack, and their /dev/shm is often tiny.
  // A test machine has no sound card: Chromium's fake output still runs the AudioContext's clock.
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-audio-output"],
});
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 1000 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl.origin });
  await context.addInitScript(hooks);
  const page = await context.newPage();
  const result = { consoleErrors: [], pageErrors: [], offOrigin: [], failedRequests: [], screenshots: [] };
  // Chromium logs every 4xx answer as a console error; the only ones expected are the session's 401s (no session
  // yet, the wrong key, after logging out) and the one call made after the session ended. Any other error counts.
  let sessionEnded = false;
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const path = new URL(m.location().url || baseUrl).pathname;
    const expected = m.text().includes("status of 401") && (path === "/web/session" || sessionEnded);
    if (!expected) result.consoleErrors.push(`${m.text()} at ${m.location().url}`);
  });
  page.on("pageerror", (e) => result.pageErrors.push(String(e)));
  // Chromium reports a no-store fetch stream that reached its end as failed with net::ERR_ABORTED (Playwright issue
  // #42742); the synthesis stream is one (Cache-Control: no-store). Such reports are kept apart: the page reaching
  // "Finished playing." proves it read that stream to its end without an error.
  // A stream cancelled by Stop fails the same way, and is kept apart too.
  result.streamEndReports = [];
  result.stoppedStreams = [];
  let stopping = false;
  page.on("requestfailed", (r) => {
    const report = `${r.url()} ${r.failure()?.errorText}`;
    const stream = new URL(r.url()).pathname === "/v1/tts/stream-with-timestamps" && r.failure()?.errorText === "net::ERR_ABORTED";
    (!stream ? result.failedRequests : stopping ? result.stoppedStreams : result.streamEndReports).push(report);
  });
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.protocol !== "blob:" && url.protocol !== "data:" && url.origin !== baseUrl.origin) result.offOrigin.push(r.url());
  });
  const shot = async (name) => {
    const file = path.join(screenshots, `playground-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    result.screenshots.push(file);
  };

  // Not logged in: the login form, with the focus in the key field.
  await page.goto(baseUrl.toString(), { waitUntil: "networkidle" });
  await page.locator("#login-form").waitFor({ state: "visible" });
  result.loginFocused = await page.evaluate(() => document.activeElement?.id);
  await shot("login");

  // A wrong key is refused with a message in the alert region; the right one opens the playground.
  await page.keyboard.type("cw_live_wrongwrongwrongwrongwrongwrong");
  await page.keyboard.press("Enter");
  await page.locator("#alert", { hasText: "Login failed" }).waitFor();
  result.wrongKeyAlert = await page.locator("#alert").textContent();
  await page.locator("#login-key").fill(apiKey);
  await page.keyboard.press("Enter");
  await page.locator("#playground").waitFor({ state: "visible" });
  await page.locator("#voice option").first().waitFor({ state: "attached" });
  result.loginFieldEmptied = (await page.locator("#login-key").inputValue()) === "";
  result.voices = await page.locator("#voice option").evaluateAll((os) => os.map((o) => o.value));
  result.formats = await page.locator("#format option").evaluateAll((os) => os.map((o) => o.value));
  result.textCount = await page.locator("#text-count").textContent();
  result.labelsMissing = await page.evaluate(() =>
    [...document.querySelectorAll("#speak-form input:not([hidden]), #speak-form select:not([hidden]), #speak-form textarea, #snippet-kind")]
      .filter((c) => c.labels.length === 0).map((c) => c.id));

  // Keyboard: Tab from the page's first link through the form, noting what gets the focus and whether it shows.
  await page.locator("header a").first().focus();
  result.tabOrder = [];
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    result.tabOrder.push(await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { id: el.id || el.textContent.trim(), outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 };
    }));
  }

  // The choices: the text typed, then voice, format and rate.
  await page.locator("#text").focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(text);
  result.textCountAfter = await page.locator("#text-count").textContent();
  await page.locator("#voice").selectOption(voice);
  await page.locator("#format").selectOption(format);
  await page.locator("#rate").selectOption(rate);

  // Speak (Enter on the button) and wait until it has played.
  await page.locator("#speak").focus();
  await page.keyboard.press("Enter");
  await page.locator("#status", { hasText: /^Playing/ }).waitFor({ timeout: 60000 });
  await page.waitForFunction(() => document.querySelector(".word.current"), null, { timeout: 60000 });
  await shot("playing");
  await page.locator("#status", { hasText: "Finished playing." }).waitFor({ timeout: 120000 });
  await shot("played");
  result.played = await page.evaluate(() => window.__played);
  result.highlights = await page.evaluate(() => window.__highlights);
  result.words = await page.locator("#words .word").allTextContents();
  result.streamTiming = await page.evaluate(() => {
    const entry = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/v1/tts/stream-with-timestamps"));
    return entry && { requestStart: entry.requestStart, responseStart: entry.responseStart, responseEnd: entry.responseEnd };
  });

  // Download the file in the chosen format.
  const downloading = page.waitForEvent("download");
  await page.locator("#download").focus();
  await page.keyboard.press("Enter");
  const download = await downloading;
  result.downloadName = download.suggestedFilename();
  result.downloadPath = path.join(out, result.downloadName);
  await download.saveAs(result.downloadPath);
  await page.locator("#status", { hasText: "Downloaded" }).waitFor();

  // Copy as: each language's code; curl is copied through the clipboard as a person would.
  result.snippets = {};
  for (const kind of ["node", "python", "csharp", "curl"]) {
    await page.locator("#snippet-kind").selectOption(kind);
    result.snippets[kind] = await page.locator("#snippet").textContent();
  }
  await page.locator("#copy").focus();
  await page.keyboard.press("Enter");
  await page.locator("#status", { hasText: "Copied as curl" }).waitFor();
  result.clipboard = await page.evaluate(() => navigator.clipboard.readText());
  await shot("copy");

  // Over the server's limit: the count says so and Speak refuses before sending anything.
  const limit = Number((await page.locator("#text-count").textContent()).split("/")[1].trim().split(" ")[0]);
  await page.locator("#text").fill("a".repeat(limit + 1));
  result.overLimit = {
    count: await page.locator("#text-count").textContent(),
    invalid: await page.locator("#text").getAttribute("aria-invalid"),
  };
  const requestsBefore = await page.evaluate(() => performance.getEntriesByType("resource").length);
  await page.locator("#speak").focus();
  await page.keyboard.press("Enter");
  await page.locator("#alert", { hasText: "longer than the server accepts" }).waitFor();
  result.overLimit.alert = await page.locator("#alert").textContent();
  result.overLimit.requestsSent = (await page.evaluate(() => performance.getEntriesByType("resource").length)) - requestsBefore;

  // Stop while a long text still streams: playback ends at once and no more audio is fed.
  await page.locator("#text").fill(Array.from({ length: 20 }, (_, i) => `This is sentence number ${i + 1} of a long text.`).join(" "));
  stopping = true;
  await page.locator("#speak").focus();
  await page.keyboard.press("Enter");
  await page.locator("#status", { hasText: /^Playing/ }).waitFor({ timeout: 60000 });
  await page.locator("#stop").focus();
  await page.keyboard.press("Enter");
  await page.locator("#status", { hasText: "Stopped." }).waitFor();
  const fed = await page.evaluate(() => window.__played.length);
  await page.waitForTimeout(1500);
  result.stop = { fedAtStop: fed, fedLater: await page.evaluate(() => window.__played.length), stopDisabled: await page.locator("#stop").isDisabled() };
  stopping = false;

  // Log out: the session is gone, the login form is back, and a reload does not bring the playground back.
  await page.locator("#logout").click();
  await page.locator("#login-form").waitFor({ state: "visible" });
  await page.reload({ waitUntil: "networkidle" });
  result.loggedOutAfterReload = await page.locator("#login-form").isVisible();
  await shot("logged-out");

  // A session that ends under the page (its cookie gone, as when it expires): the next call brings the login form back.
  await page.locator("#login-key").fill(apiKey);
  await page.keyboard.press("Enter");
  await page.locator("#playground").waitFor({ state: "visible" });
  await context.clearCookies();
  sessionEnded = true;
  await page.locator("#speak").focus();
  await page.keyboard.press("Enter");
  await page.locator("#login-form").waitFor({ state: "visible" });
  result.sessionEndedAlert = await page.locator("#alert").textContent();
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
