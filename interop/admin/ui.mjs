// Drives the official Socket.IO admin UI (@socket.io/admin-ui, as served by wsk at /admin/) in
// headless Chromium with playwright-core, for io.wsk.testkit.AdminUiBrowser.
//
//   node admin/ui.mjs <chromium executable> <screenshot directory>
//
// Commands, one JSON object per stdin line; each is answered with one JSON line on stdout,
// {"event": <cmd>, ...}, or {"event":"error","cmd":...,"message":...}. "shot" names a screenshot
// (<directory>/<shot>.png) taken once the command is done.
//   {"cmd":"hash","password":P}                    -> {"hash"}: bcryptjs, the reference's own hashing
//   {"cmd":"open","url":U}                         -> {}: the UI's page, e.g. http://host:port/admin/
//   {"cmd":"login","server":URL,"username":U,"password":P}
//                                                  -> {"connected", "error", "icons"}: the form's error
//                                                     text; the icon font's status (loaded, error)
//   {"cmd":"dashboard","expect":N}                 -> {"healthy"}: once its Servers card counts N healthy
//   {"cmd":"servers","expect":N}                   -> {"ids"}: once N servers are listed
//   {"cmd":"sockets","expect":[ids]}               -> {"ids"}: once those sockets of / are listed
//   {"cmd":"socket","id":ID,"expect":[rooms]}      -> {"rooms"}: its details page, once those rooms show
//   {"cmd":"disconnect","id":ID}                   -> {}: clicks the socket's disconnect button
//   {"cmd":"gone","id":ID}                         -> {}: once the socket is no longer listed
//   {"cmd":"reload"}                               -> {"connected"}: the page again, with its saved session
import { chromium } from "playwright-core";
import bcrypt from "bcryptjs";
import readline from "node:readline";

const [executablePath, shots] = process.argv.slice(2);
const WAIT = { timeout: 15000 };

const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const browser = await chromium.launch({
  executablePath,
  // As Debian's Chromium needs here: no sandbox as root, nothing fetched in the background.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
page.on("pageerror", (e) => process.stderr.write("page error: " + e.message + "\n"));
out({ event: "ready" });

const connectedChip = () => page.locator("header .v-chip", { hasText: /^connected$/i }).first();
const rowOf = (id) => page.getByRole("row").filter({ has: page.getByRole("cell", { name: id, exact: true }) });

async function firstCells() {
  return page.locator("main table tbody tr td:first-child").allInnerTexts();
}

async function until(check, what) {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await page.waitForTimeout(200);
  }
}

async function nav(name, settle = true) {
  await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
  if (settle) await settled(name);
}

// A page is there when it is alone (pages fade into each other) and its breadcrumb names it.
async function settled(name) {
  await until(async () => {
    const pages = page.locator("main .container > div");
    if ((await pages.count()) !== 1) return false;
    const crumbs = await pages.locator(".v-breadcrumbs li").allInnerTexts();
    return crumbs.length > 0 && crumbs[crumbs.length - 1].trim() === name;
  }, "the " + name + " page");
}

const commands = {
  async hash({ password }) {
    return { hash: bcrypt.hashSync(password, 10) };
  },
  async open({ url }) {
    await page.goto(url);
    return {};
  },
  async login({ server, username, password }) {
    const modal = page.locator(".v-dialog--active");
    if (!(await modal.isVisible())) {
      await page.getByRole("button", { name: "Update" }).click();
    }
    await page.getByLabel("Server URL").fill(server);
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    const error = modal.locator(".red--text");
    // The form keeps an earlier attempt's error until this one ends: then only the form closing
    // tells, and a refusal is the form still open when the wait is over.
    const hadError = await error.isVisible();
    await page.getByRole("button", { name: "Connect" }).click();
    await until(async () => !(await modal.isVisible()) || (!hadError && (await error.isVisible())), "the login to end")
      .catch((e) => { if (!hadError) throw e; });
    const connected = !(await modal.isVisible());
    if (connected) await connectedChip().waitFor(WAIT);
    // The icon font, once the page shows icons: "loaded", or "error" if it could not be fetched.
    await page.evaluate(() => document.fonts.ready);
    const icons = await page.evaluate(() =>
      [...document.fonts].find((f) => f.family.includes("Material Design Icons"))?.status ?? "none");
    return { connected, error: connected ? null : (await error.innerText()).trim(), icons };
  },
  async dashboard({ expect }) {
    await nav("Dashboard", false); // its cards are pages of their own: it is known by its Servers card
    const card = page.locator(".v-card", { has: page.getByText("Servers", { exact: true }) }).first();
    const healthy = await until(async () => {
      const match = /healthy\s+(\d+)/i.exec(await card.innerText());
      return match && Number(match[1]) >= expect ? Number(match[1]) : null;
    }, expect + " healthy servers on the dashboard");
    return { healthy };
  },
  async servers({ expect }) {
    await nav("Servers");
    const ids = await until(async () => { const c = await firstCells(); return c.length >= expect ? c : null; },
      expect + " servers");
    return { ids };
  },
  async sockets({ expect }) {
    await nav("Sockets");
    const ids = await until(async () => {
      const c = await firstCells();
      return expect.every((id) => c.includes(id)) ? c : null;
    }, "sockets " + expect.join(", "));
    return { ids };
  },
  async socket({ id, expect }) {
    await nav("Sockets");
    await page.getByRole("cell", { name: id, exact: true }).click(WAIT);
    const rooms = page.locator(".v-card", { has: page.getByText("Rooms", { exact: true }) }).locator("tbody td:first-child");
    const names = await until(async () => {
      const r = (await rooms.allInnerTexts()).map((s) => s.trim());
      return expect.every((room) => r.includes(room)) ? r : null;
    }, "rooms " + expect.join(", "));
    return { rooms: names };
  },
  async disconnect({ id }) {
    await nav("Sockets");
    await rowOf(id).getByRole("button").click(WAIT);
    return {};
  },
  async gone({ id }) {
    await nav("Sockets");
    await until(async () => !(await firstCells()).includes(id), "socket " + id + " to go");
    return {};
  },
  async reload() {
    await page.reload();
    await connectedChip().waitFor(WAIT);
    return { connected: true };
  },
};

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  try {
    const result = await commands[command.cmd](command);
    if (command.shot) await page.screenshot({ path: `${shots}/${command.shot}.png` });
    out({ event: command.cmd, ...result });
  } catch (e) {
    await page.screenshot({ path: `${shots}/failed-${command.cmd}.png` }).catch(() => {});
    out({ event: "error", cmd: command.cmd, message: String(e && e.message || e) });
  }
}
await browser.close();
