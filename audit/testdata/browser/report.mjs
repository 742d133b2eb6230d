// Opens the audit's HTML report from disk in Debian's Chromium through
// playwright-core, works its filters, keeps a screenshot, and prints what
// it saw as JSON: the checks, the console errors and any request the page
// tried to make (a single-file report must make none).
// Usage: node report.mjs CONFIG.json   (config: see html_browser_test.go)
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(join(cfg.modules, "x.js"));
const { chromium } = require("playwright-core");

const profile = mkdtempSync(join(tmpdir(), "portcullis-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: cfg.chromium,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 900 },
  offline: true,
});
const out = { checks: [], console: [], requests: [] };
const check = (name, want, got) => out.checks.push({ name, want: String(want), got: String(got), pass: String(want) === String(got) });
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") out.console.push(m.type() + ": " + m.text()); });
  page.on("pageerror", (e) => out.console.push("pageerror: " + e.message));
  const url = pathToFileURL(cfg.html).href;
  page.on("request", (r) => { if (r.url() !== url) out.requests.push(r.url()); });
  await page.goto(url, { waitUntil: "load" });

  const shown = async () => Number(await page.textContent("#shown-count"));
  const visible = async () => page.$$eval("section.api", (s) => s.filter((x) => !x.classList.contains("hidden")).map((x) => x.dataset.key));
  const select = async (id, value) => { await page.selectOption(id, value); };

  check("title", true, (await page.title()).startsWith("Portcullis audit"));
  check("summary verdict", true, (await page.textContent("#verdict")).trim().length > 20);
  check("APIs in the summary", cfg.apis, Number(await page.textContent("#n-apis")));
  check("errors in the summary", cfg.errors, Number(await page.textContent("#n-error")));
  check("sections", cfg.apis, (await page.$$("section.api")).length);
  check("all shown at first", cfg.apis, await shown());
  check("the summary is above the first API", true,
    await page.evaluate(() => document.querySelector("#summary").getBoundingClientRect().top < document.querySelector("section.api").getBoundingClientRect().top));
  check("findings link to rule docs", true,
    await page.$$eval("li.finding a", (as, base) => as.length > 0 && as.every((a) => a.href.startsWith(base)), cfg.docs));

  await select("#f-severity", "error");
  check("severity=error: APIs shown", cfg.withErrors.length, await shown());
  check("severity=error: which", cfg.withErrors.join(","), (await visible()).sort().join(","));
  check("severity=error: only errors listed", 0,
    await page.$$eval("section.api:not(.hidden) li.finding:not(.hidden)", (ls) => ls.filter((l) => l.dataset.severity !== "error").length));

  await select("#f-severity", "all");
  await select("#f-region", cfg.region);
  check("region filter: APIs shown", cfg.inRegion.length, await shown());
  check("region filter: which", cfg.inRegion.join(","), (await visible()).sort().join(","));

  await select("#f-region", "all");
  await select("#f-api", cfg.one);
  check("API filter", cfg.one, (await visible()).join(","));
  await select("#f-api", "all");
  check("filters reset", cfg.apis, await shown());

  if (cfg.cleanRegion) {
    await select("#f-region", cfg.cleanRegion);
    await select("#f-severity", "error");
    check("no match says so", true, await page.isVisible("#none-shown"));
    await select("#f-region", "all");
    await select("#f-severity", "all");
  }
  await page.screenshot({ path: cfg.screenshot, fullPage: true });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(out));
