// Runs axe-core's WCAG 2.x A and AA rules on every page and admin section, logged out (the login forms) and logged in
// with an operator key, in Debian's Chromium. axe is injected from this folder's node_modules; the pages' CSP allows no
// inline script, so this context bypasses CSP for the injection only (the pages' own CSP is proven elsewhere).
// Prints one JSON object: for each page, its violations (rule id, impact, help, the offending elements) and how many
// rules it passed, and the rules a deliberately broken control page breaks (proof that the audit can fail).
//
// Environment: BASE_URL (http://127.0.0.1:port/), API_KEY (an admin key of the default tenant), CHROMIUM (optional path).
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const base = new URL(process.env.BASE_URL);

// Each page, and the element whose presence says it has drawn (sections render after their API calls answer).
const loggedOut = [["/", "#login-form"], ["/admin", "#login"]];
const loggedIn = [
  ["/", "#text"],
  ["/admin#tenants", "#main table"],
  ["/admin#keys", "#main form"],
  ["/admin#voices", "#main table"],
  ["/admin#usage", "#main canvas"],
  ["/admin#requests", "#main form"],
  ["/admin#system", "#main dl, #main table"],
];

async function audit(page, path, ready) {
  await page.goto(new URL(path, base).toString());
  await page.locator(ready).filter({ visible: true }).first().waitFor({ timeout: 15_000 });
  await page.waitForLoadState("networkidle");
  await page.addScriptTag({ path: axePath });
  const { violations, passes } = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return {
    page: path,
    rulesPassed: passes.length,
    violations: violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) })),
  };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ baseURL: base.toString(), bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pages = [];
  for (const [path, ready] of loggedOut) pages.push(await audit(page, path, ready));
  const login = await context.request.post("web/session", { data: { key: process.env.API_KEY } });
  if (login.status() !== 200) throw new Error(`login answered ${login.status()}: ${await login.text()}`);
  for (const [path, ready] of loggedIn) pages.push(await audit(page, path, ready));
  // A control: the same run catches an image without a text alternative added to the last page.
  const control = await page.evaluate(async () => {
    const image = document.createElement("img");
    image.src = "data:,";
    document.body.append(image);
    const { violations } = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a"] } });
    image.remove();
    return violations.map((v) => v.id);
  });
  console.log(JSON.stringify({ axe: require("axe-core/package.json").version, pages, control }));
} finally {
  await browser.close();
}
