// Drives Debian's Chromium with playwright-core: serves the page at the
// app's own origin, then lets the page make its cross-origin calls with no
// routing in the way, and prints the page's checks as JSON.
// Usage: node run.mjs CONFIG.json   (config: see the Go test)
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(join(cfg.modules, "x.js"));
const { chromium } = require("playwright-core");

const profile = mkdtempSync(join(tmpdir(), "portcullis-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: cfg.chromium,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  // The page's public origin may call loopback (the gateway, cognito-local).
  permissions: ["local-network-access"],
  viewport: { width: 1000, height: 800 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const console_ = [];
  page.on("console", (m) => console_.push(m.type() + ": " + m.text()));
  page.on("pageerror", (e) => console_.push("pageerror: " + e.message));
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Todo</title></head><body><div id="root"></div><script type="module" src="/app.js"></script></body></html>`;
  const js = readFileSync(cfg.bundle, "utf8");
  await page.route(cfg.origin + "/**", (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/app.js") return route.fulfill({ status: 200, contentType: "text/javascript", body: js });
    if (path === "/") return route.fulfill({ status: 200, contentType: "text/html", body: html });
    return route.fulfill({ status: 404, body: "" });
  });
  await page.goto(cfg.origin + "/");
  await page.waitForFunction(() => typeof window.start === "function");
  // While any route is active Playwright answers CORS preflights itself:
  // remove them all so the browser meets the gateway's real answers.
  await page.unrouteAll({ behavior: "wait" });
  const checks = await page.evaluate((c) => window.start(c), cfg.page);
  await page.waitForSelector("#done:text('done')");
  await page.screenshot({ path: cfg.screenshot, fullPage: true });
  process.stdout.write(JSON.stringify({ checks, console: console_ }) + "\n");
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
