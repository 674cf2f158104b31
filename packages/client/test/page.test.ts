// The loss reporting page in a real headless browser (Debian's chromium,
// driven by playwright-core), against the local chain after the end-to-end
// story: every figure the page shows is compared with the contracts' own
// queries at the block the page read, the error states are checked, and a
// screenshot of each deployment is taken.
//
// Needs: the built page (npm run page:build), a running chain with the
// story's deployments (CHF_DEPLOYMENT_NATIVE, CHF_DEPLOYMENT_CW20; RPC from
// CHF_RPC or LOCALNET_RPC_PORT, as the story), and chromium at CHF_CHROMIUM
// (default /usr/bin/chromium). Screenshots go to CHF_PAGE_SHOTS (default
// target/chain/). The page's server is node's http module on 127.0.0.1, and
// the browser may reach loopback addresses only.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { localnet, PACKAGE_DIR, REPO_DIR } from "../src/config";
import { wasmEvents, LAYERS } from "../src/events";
import { DefaultFundQueryClient } from "../src/generated/DefaultFund.client";
import type { MemberResponse } from "../src/generated/DefaultFund.types";
import { MarginVaultQueryClient } from "../src/generated/MarginVault.client";
import { SnapshotClient } from "../src/snapshot";

const net = localnet();
const DIST = join(PACKAGE_DIR, "page", "dist");
const SHOTS = process.env.CHF_PAGE_SHOTS ?? join(REPO_DIR, "target", "chain");
const CHROMIUM = process.env.CHF_CHROMIUM ?? "/usr/bin/chromium";

interface DeploymentFile {
  chain_id: string;
  contracts: { default_fund: string; margin_vault: string };
  roles: { operator: string };
}
const deploymentPaths: Record<string, string | undefined> = {
  native: process.env.CHF_DEPLOYMENT_NATIVE,
  cw20: process.env.CHF_DEPLOYMENT_CW20,
};
function deployment(name: string): DeploymentFile {
  const path = deploymentPaths[name];
  assert.ok(path && existsSync(path), `CHF_DEPLOYMENT_${name.toUpperCase()} must name a deployment file of scripts/deploy.sh`);
  return JSON.parse(readFileSync(path, "utf8")) as DeploymentFile;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/** The built page, and the deployment files under /deployments/<name>.json. */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    let file: string | undefined;
    const dep = /^\/deployments\/(\w+)\.json$/.exec(path);
    if (dep) file = deploymentPaths[dep[1]!];
    else {
      const rel = normalize(path === "/" ? "/index.html" : path).replace(/^(\.\.[/\\])+/, "");
      file = join(DIST, rel);
      if (!file.startsWith(DIST)) file = undefined;
    }
    if (!file || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let server: Server;
let base: string;
let browser: Browser;
const blocked: string[] = [];

before(async () => {
  assert.ok(existsSync(join(DIST, "page.js")), "build the page first: npm run page:build");
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM} (apt-get install chromium)`);
  server = await serve();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Opens the page with these URL parameters in a fresh context that may reach loopback only. */
async function open(params: Record<string, string>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || LOOPBACK.has(url.hostname)) return route.continue();
    blocked.push(url.toString());
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}?${new URLSearchParams(params)}`);
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 90_000 });
  assert.deepEqual(errors, [], "no script error on the page");
  return page;
}

/** Every figure on the page: data-figure key -> its texts (and raw timestamps). */
async function figures(page: Page): Promise<Map<string, { text: string; nanos: string | null }[]>> {
  const all = await page.$$eval("[data-figure]", (els) =>
    els.map((e) => [e.getAttribute("data-figure") ?? "", e.textContent ?? "", e.getAttribute("data-nanos")] as const),
  );
  const out = new Map<string, { text: string; nanos: string | null }[]>();
  for (const [k, text, nanos] of all) out.set(k, [...(out.get(k) ?? []), { text, nanos }]);
  return out;
}

/** Checks figures against the contracts' answers; counts what it checked. */
class Figures {
  checked = 0;
  constructor(private readonly f: Map<string, { text: string; nanos: string | null }[]>) {}
  /** Every element with this key shows exactly `expected` (separators aside). */
  amount(key: string, expected: string | number) {
    const found = this.f.get(key);
    assert.ok(found && found.length > 0, `the page shows ${key}`);
    for (const { text } of found) assert.equal(text.replace(/,/g, "").trim(), String(expected), `${key} on the page`);
    this.checked++;
  }
  /** A timestamp: the element carries the contract's nanoseconds. */
  time(key: string, expected: string | null | undefined) {
    const found = this.f.get(key);
    assert.ok(found && found.length > 0, `the page shows ${key}`);
    for (const { nanos } of found) assert.equal(nanos || null, expected ?? null, `${key} on the page`);
    this.checked++;
  }
  text(key: string, expected: string) {
    const found = this.f.get(key);
    assert.ok(found && found.length > 0, `the page shows ${key}`);
    for (const { text } of found) assert.equal(text.trim(), expected, `${key} on the page`);
    this.checked++;
  }
  absent(prefix: string) {
    assert.deepEqual([...this.f.keys()].filter((k) => k.startsWith(prefix)), [], `nothing under ${prefix}`);
  }
}

async function allMembers(fund: DefaultFundQueryClient): Promise<MemberResponse[]> {
  const out: MemberResponse[] = [];
  for (let after: string | undefined; ; ) {
    const page = (await fund.members({ limit: 100, startAfter: after })).members;
    out.push(...page);
    if (page.length < 100) return out;
    after = page[page.length - 1]!.address;
  }
}

/** The page of one deployment against the contracts' queries at the block it read. */
async function checkDeployment(name: string, member?: string, atHeight?: number): Promise<void> {
  const d = deployment(name);
  const params: Record<string, string> = { rpc: net.rpc, fund: d.contracts.default_fund };
  if (member) params.member = member;
  if (atHeight) params.height = String(atHeight);
  const page = await open(params);
  assert.equal(await page.getAttribute("body", "data-state"), "ready", `the page of ${name} is ready: ${await page.textContent("#status")}`);
  const f = new Figures(await figures(page));
  const height = Number((await page.textContent('[data-figure="snapshot.height"]')) ?? "");
  assert.ok(height > 0, "the page names the block it read");
  if (atHeight) assert.equal(height, atHeight, "the block asked for");

  const client = await SnapshotClient.open(net.rpc, height);
  const fund = new DefaultFundQueryClient(client, d.contracts.default_fund);
  const vault = new MarginVaultQueryClient(client, d.contracts.margin_vault);
  const [state, coverage, books, params_, totals, vbooks, defaults, members] = await Promise.all([
    fund.state(),
    fund.coverage(),
    fund.books(),
    fund.params(),
    vault.totals(),
    vault.books(),
    fund.defaults({ limit: 100 }),
    allMembers(fund),
  ]);

  f.text("snapshot.chain_id", net.chainId);
  f.text("snapshot.fund", d.contracts.default_fund);

  // Resources by layer.
  f.amount("resources.total_margin", totals.total_margin);
  f.amount("resources.total_required_margin", totals.total_required);
  f.amount("resources.total_contributions", state.total_contributions);
  f.amount("resources.sitg", state.sitg);
  f.amount("resources.assessment_capacity", coverage.assessment_capacity);
  f.amount("resources.total_required", state.total_required);
  f.amount("resources.held", state.held);
  f.amount("resources.fees_unclaimed", state.fees_unclaimed);
  f.amount("resources.recoveries_held", state.recoveries_held);
  f.amount("state.defaults", state.defaults);
  f.amount("state.uncovered_total", state.uncovered_total);
  f.amount("state.members", state.members);

  // Coverage, and its warning below 1.
  f.amount("coverage.requirement", coverage.requirement);
  f.amount("coverage.prefunded", coverage.prefunded);
  f.amount("coverage.assessment_capacity", coverage.assessment_capacity);
  f.amount("coverage.target", coverage.target);
  f.amount("coverage.total_required", coverage.total_required);
  f.amount("coverage.contribution_rate", coverage.contribution_rate);
  if (coverage.ratio) f.amount("coverage.ratio", coverage.ratio);
  if (coverage.ratio_with_assessments) f.amount("coverage.ratio_with_assessments", coverage.ratio_with_assessments);
  coverage.top_exposures.forEach((t, i) => {
    f.text(`coverage.top.${i}.member`, t.member);
    f.amount(`coverage.top.${i}.exposure`, t.exposure);
  });
  const below = coverage.ratio !== null && coverage.ratio !== undefined && coverage.ratio.split(".")[0] === "0";
  assert.equal(await page.locator('[data-warning="coverage-below-one"]').count(), below ? 1 : 0, "a warning exactly when the ratio is below 1");

  // Books and parameters.
  f.amount("books.holdings", books.holdings);
  f.amount("books.claims", books.claims);
  f.amount("books.vault_total_margin", vbooks.total_margin);
  f.amount("params.min_contribution", params_.min_contribution);
  f.amount("params.assessment_multiple", params_.assessment_multiple);

  // Every default: its receipt, its waterfall chart, each member's share at the default's block, recoveries.
  assert.equal(await page.locator("article.default").count(), defaults.defaults.length, "one card per default");
  const defaultTxs = await client.searchTx(`wasm-default._contract_address='${d.contracts.default_fund}'`);
  for (const r of defaults.defaults) {
    const k = `default.${r.id}`;
    f.text(`${k}.member`, r.member);
    f.amount(`${k}.close_out_loss`, r.close_out_loss);
    f.amount(`${k}.unpaid_assessments`, r.unpaid_assessments);
    f.amount(`${k}.loss`, r.loss);
    for (const l of LAYERS) f.amount(`${k}.layers.${l}`, r.layers[l]);
    f.amount(`${k}.assessment_rate`, r.assessment_rate);
    f.amount(`${k}.assessment_base`, r.assessment_base);
    f.time(`${k}.declared_at`, r.declared_at);
    for (const part of ["assessments", "mutual_fund", "sitg", "uncovered", "defaulter", "excess"] as const) {
      f.amount(`${k}.recovered.${part}`, r.recovered?.[part] ?? "0");
    }
    const card = page.locator(`article[data-default="${r.id}"]`);
    assert.equal(await card.locator("canvas").count(), 1, `default ${r.id} has its waterfall chart`);
    const chartBox = await card.locator("canvas").boundingBox();
    assert.ok(chartBox && chartBox.width > 200 && chartBox.height > 100, "the waterfall chart is drawn");

    if (r.layers.assessments !== "0") {
      const tx = defaultTxs.find((t) => wasmEvents(t.events, { contract: d.contracts.default_fund, type: "wasm-default" }).some((e) => e.default_id === String(r.id)));
      assert.ok(tx, `the chain indexed default ${r.id}`);
      const then = await allMembers(new DefaultFundQueryClient(client.at(tx.height), d.contracts.default_fund));
      const shares = then.flatMap((m) => m.obligations.filter((o) => o.default_id === r.id).map((o) => [m.address, o.amount] as const));
      assert.ok(shares.length > 0, `default ${r.id} assessed members`);
      for (const [m, amount] of shares) f.amount(`${k}.assessed.${m}`, amount);
      assert.equal(await card.locator("table.assessed tbody tr").count(), shares.length, "one row per member assessed");
      const now = new Map(members.map((m) => [m.address, m]));
      for (const [m] of shares) {
        const cur = now.get(m);
        if (!cur) continue;
        f.amount(`${k}.unpaid.${m}`, cur.obligations.find((o) => o.default_id === r.id)?.amount ?? "0");
        f.amount(`${k}.overdue.${m}`, cur.assessment_overdue);
      }
    }
  }

  // The member list.
  const vaultMembers = await Promise.all(members.map((m) => vault.member({ address: m.address }).catch(() => undefined)));
  members.forEach((m, i) => {
    const k = `members.${m.address}`;
    f.amount(`${k}.balance`, m.balance);
    f.amount(`${k}.required_contribution`, m.required_contribution);
    f.amount(`${k}.assessment_owed`, m.assessment_owed);
    f.amount(`${k}.assessment_overdue`, m.assessment_overdue);
    f.amount(`${k}.shortfall`, m.shortfall);
    f.amount(`${k}.fees_claimable`, m.fees_claimable);
    const v = vaultMembers[i];
    if (v) f.amount(`${k}.margin`, v.balance);
  });

  // The member view: its figures and its obligations.
  const shown = (await page.textContent('[data-figure="member.address"]'))?.trim();
  if (member) assert.equal(shown, member, "the member named in the URL");
  if (shown) {
    const [m, o, v] = await Promise.all([
      fund.member({ address: shown }),
      fund.obligations({ address: shown }),
      vault.member({ address: shown }).catch(() => undefined),
    ]);
    f.amount("member.balance", m.balance);
    f.amount("member.required_contribution", m.required_contribution);
    f.amount("member.shortfall", m.shortfall);
    f.time("member.shortfall_due", m.shortfall_due);
    f.amount("member.replenishment_overdue", o.replenishment_overdue);
    f.amount("member.fees_claimable", m.fees_claimable);
    f.amount("member.recovered", m.recovered);
    f.amount("member.held", m.held);
    f.amount("member.owed", o.owed);
    f.amount("member.overdue", o.overdue);
    f.time("member.next_due", o.next_due);
    f.amount("member.required_margin", m.required_margin);
    if (v) {
      f.amount("member.margin", v.balance);
      f.amount("member.excess", v.excess);
    }
    if (m.pending_withdrawal) {
      f.amount("member.withdrawal.amount", m.pending_withdrawal.amount);
      f.time("member.withdrawal.claimable_at", m.pending_withdrawal.claimable_at);
    } else f.text("member.withdrawal.amount", "none");
    f.time("member.exit_notice_at", m.exit_notice_at);
    f.time("member.exit_available_at", m.exit_available_at);
    if (m.obligations.length === 0) f.absent("member.obligations.0");
    m.obligations.forEach((x, i) => {
      f.amount(`member.obligations.${i}.amount`, x.amount);
      f.time(`member.obligations.${i}.due`, x.due);
      f.text(`member.obligations.${i}.breached`, x.breached ? "yes" : "no");
    });
  }

  await page.screenshot({ path: join(SHOTS, `loss-page-${name}${atHeight ? `-block-${atHeight}` : ""}.png`), fullPage: true });
  await page.context().close();
  console.log(`# ${name}${atHeight ? " (a past block)" : ""}: ${f.checked} figures equal the contracts' queries at block ${height}; ${defaults.defaults.length} default(s), ${members.length} member(s)`);
  assert.ok(f.checked > 40, "the page was checked on many figures");
}

/** The member of the cw20 deployment with the most to show: a shortfall or an obligation. */
async function interestingMember(name: string): Promise<string | undefined> {
  const d = deployment(name);
  const client = await SnapshotClient.open(net.rpc);
  const members = await allMembers(new DefaultFundQueryClient(client, d.contracts.default_fund));
  return (members.find((m) => m.obligations.length > 0) ?? members.find((m) => m.shortfall !== "0") ?? members[0])?.address;
}

describe("the loss reporting page in headless chromium", { concurrency: false }, () => {
  it("native deployment: every figure equals the contracts' queries", async () => {
    await checkDeployment("native");
  });

  it("cw20 deployment: every figure equals the contracts' queries, a member's obligations shown", async () => {
    await checkDeployment("cw20", await interestingMember("cw20"));
  });

  it("a past block (height=): a member's unpaid share with its due date, as the queries at that block", async () => {
    const d = deployment("cw20");
    const client = await SnapshotClient.open(net.rpc);
    const txs = await client.searchTx(`wasm-default._contract_address='${d.contracts.default_fund}'`);
    const first = txs.map((t) => t.height).sort((a, b) => a - b)[0];
    assert.ok(first, "the story declared a default in the cw20 deployment");
    const then = await allMembers(new DefaultFundQueryClient(client.at(first), d.contracts.default_fund));
    const owing = then.find((m) => m.obligations.length > 0);
    assert.ok(owing, "a member owed a share right after the default");
    await checkDeployment("cw20", owing.address, first);
  });

  it("a deployment file given in the URL", async () => {
    const d = deployment("native");
    const page = await open({ rpc: net.rpc, deployment: "/deployments/native.json" });
    assert.equal(await page.getAttribute("body", "data-state"), "ready");
    assert.equal((await page.textContent('[data-figure="snapshot.fund"]'))?.trim(), d.contracts.default_fund);
    await page.context().close();
  });

  it("with no fund named, the newest default fund on the chain", async () => {
    const funds = [deployment("native").contracts.default_fund, deployment("cw20").contracts.default_fund];
    const page = await open({ rpc: net.rpc });
    assert.equal(await page.getAttribute("body", "data-state"), "ready");
    const shown = (await page.textContent('[data-figure="snapshot.fund"]'))?.trim() ?? "";
    assert.ok(funds.includes(shown), `${shown} is one of the story's funds`);
    await page.context().close();
  });

  it("an unreachable RPC is said in plain words", async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const page = await open({ rpc: `http://127.0.0.1:${closed}`, fund: deployment("native").contracts.default_fund });
    assert.equal(await page.getAttribute("body", "data-state"), "error");
    assert.equal(await page.getAttribute("body", "data-error"), "rpc-unreachable");
    assert.match((await page.textContent(".error-message")) ?? "", /RPC at http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
    await page.screenshot({ path: join(SHOTS, "loss-page-error.png") });
    await page.context().close();
  });

  it("a wrong address, an account and a contract that is not a fund are said in plain words", async () => {
    const d = deployment("native");
    const cases: [string, string, RegExp][] = [
      ["wasm1notanaddress", "bad-address", /is not a valid address/],
      [d.roles.operator, "no-contract", /There is no contract at/],
      [d.contracts.margin_vault, "not-a-fund", /is not a default fund/],
    ];
    for (const [fundAddr, kind, says] of cases) {
      const page = await open({ rpc: net.rpc, fund: fundAddr });
      assert.equal(await page.getAttribute("body", "data-state"), "error", fundAddr);
      assert.equal(await page.getAttribute("body", "data-error"), kind, fundAddr);
      assert.match((await page.textContent(".error-message")) ?? "", says);
      await page.context().close();
    }
  });

  it("the browser reached loopback addresses only", () => {
    assert.deepEqual(blocked, []);
  });
});
