// The page's sections, built from a Report. Every figure is written with
// `fig`, which tags it with data-figure="<key>" (the browser test compares
// each against the contracts' queries). Text from the chain (labels,
// addresses) only ever goes in through textContent.
import type { DefaultReceipt, MemberResponse } from "../../src/generated/DefaultFund.types";
import type { Activity, DefaultView, MemberDetail, Report } from "./load";
import { coverageChart, LAYER_COLOURS, LAYER_NAMES, resourcesChart, waterfallChart } from "./charts";
import { amount, belowOne, dateOf, relative, seconds, short, utc, when, words } from "./format";

type Child = Node | string | null | undefined | false;

export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

/** A contract's figure: an amount (integer or decimal) written exactly, tagged for the test. */
function fig(key: string, value: string | number | null | undefined, cls = "num"): HTMLElement {
  return h("span", { class: cls, "data-figure": key }, amount(value ?? null));
}

/** A timestamp with its distance from the block read, tagged with the raw nanoseconds. */
function time(key: string, nanos: string | null | undefined, now: Date): HTMLElement {
  if (!nanos) return h("span", { "data-figure": key, "data-nanos": "" }, "—");
  return h(
    "span",
    { "data-figure": key, "data-nanos": nanos, title: nanos },
    utc(dateOf(nanos)),
    h("span", { class: "rel" }, ` (${relative(nanos, now)})`),
  );
}

function addr(a: string, key?: string): HTMLElement {
  return h("span", { class: "addr", title: a, ...(key ? { "data-figure": key } : {}) }, a);
}

function row(label: Child, ...cells: Child[]): HTMLElement {
  return h("tr", {}, h("th", { scope: "row" }, label), ...cells.map((c) => h("td", {}, c)));
}

function table(head: string[], rows: HTMLElement[], cls = ""): HTMLElement {
  return h(
    "table",
    { class: cls },
    h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows),
  );
}

function section(id: string, title: string, intro: Child, ...body: Child[]): HTMLElement {
  return h("section", { id }, h("h2", {}, title), intro ? h("p", { class: "intro" }, intro) : null, ...body);
}

function canvasBox(height: number): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = document.createElement("canvas");
  const box = h("div", { class: "chart", style: `height:${height}px` }, canvas);
  return { box, canvas };
}

function assetName(r: Report): string {
  const a = r.config.asset;
  return "native" in a ? a.native.denom : `cw20 ${a.cw20.address}`;
}

function swatch(colour: string): HTMLElement {
  return h("span", { class: "swatch", style: `background:${colour}` });
}

// ---------------------------------------------------------------------------

function header(r: Report): HTMLElement {
  const flags: HTMLElement[] = [];
  if (r.config.shutdown) flags.push(h("span", { class: "flag bad", "data-flag": "shutdown" }, "Shut down"));
  if (r.config.paused) flags.push(h("span", { class: "flag warn", "data-flag": "paused" }, "Paused"));
  if (r.state.cooling_off_open && r.state.cooling_off) {
    flags.push(h("span", { class: "flag warn", "data-flag": "cooling-off" }, `Cooling-off period open until ${when(r.state.cooling_off.ends)}`));
  }
  if (r.state.open_defaults > 0) flags.push(h("span", { class: "flag warn", "data-flag": "open-defaults" }, `${r.state.open_defaults} open default(s)`));
  return h(
    "header",
    {},
    h("h1", {}, "Default fund — loss report"),
    h(
      "p",
      { class: "meta" },
      "Chain ",
      h("b", { "data-figure": "snapshot.chain_id" }, r.chainId),
      " · block ",
      h("b", { "data-figure": "snapshot.height" }, String(r.height)),
      ` · ${utc(new Date(r.time))}`,
      r.latest ? " (latest when read)" : " (the block asked for)",
      " · RPC ",
      h("span", { class: "addr" }, r.rpc),
    ),
    h(
      "dl",
      { class: "ids" },
      h("dt", {}, "Default fund"),
      h("dd", {}, addr(r.fundAddr, "snapshot.fund"), h("span", { class: "muted" }, ` "${r.fundContract.label}", code ${r.fundContract.codeId}`)),
      h("dt", {}, "Margin vault"),
      h("dd", {}, addr(r.vaultAddr)),
      h("dt", {}, "Settlement asset"),
      h("dd", {}, h("b", { "data-figure": "snapshot.asset" }, assetName(r)), h("span", { class: "muted" }, " · every amount on this page is in its base units, exactly as the contracts give it")),
    ),
    flags.length ? h("p", { class: "flags" }, ...flags) : null,
    r.discovered && r.discovered.length > 1
      ? h(
          "p",
          { class: "meta" },
          "Other default funds on this chain: ",
          ...r.discovered.slice(1).flatMap((d, i) => [i ? ", " : "", link({ fund: d.address, member: null }, d.label)]),
        )
      : null,
  );
}

function summary(r: Report): HTMLElement {
  const c = r.coverage;
  const below = belowOne(c.ratio);
  const tile = (label: string, value: HTMLElement, note: Child, cls = "") =>
    h("div", { class: `tile ${cls}` }, h("div", { class: "tile-label" }, label), h("div", { class: "tile-value" }, value), note ? h("div", { class: "tile-note" }, note) : null);
  return h(
    "div",
    { class: "tiles" },
    tile(
      `Coverage ratio (Cover-${c.cover})`,
      c.ratio ? fig("coverage.ratio", c.ratio) : h("span", { "data-figure": "coverage.ratio" }, "no requirement"),
      below ? "below 1: pre-funded resources do not meet the requirement" : c.ratio ? "pre-funded ÷ requirement" : "no stress exposure posted",
      below ? "bad" : c.ratio ? "good" : "",
    ),
    tile("Pre-funded resources", fig("coverage.prefunded", c.prefunded), "SITG + all members' balances"),
    tile("Defaults", fig("state.defaults", r.state.defaults), [`${r.state.open_defaults} open`].join(""), r.state.open_defaults ? "warn" : ""),
    tile("Uncovered losses", fig("state.uncovered_total", r.state.uncovered_total), "left after every layer", r.state.uncovered_total !== "0" ? "bad" : ""),
    tile("Live members", fig("state.members", r.state.members), `${r.state.open_obligations} unpaid assessment share(s)`, r.state.open_obligations ? "warn" : ""),
  );
}

function resources(r: Report): HTMLElement {
  const rows: { layer: string; label: string; chart: string; key: string; value: string; source: string; colour: string }[] = [
    { layer: "1", label: "Members' margin in the vault", chart: "Margin", key: "resources.total_margin", value: r.vaultTotals.total_margin, source: "vault Totals.total_margin", colour: LAYER_COLOURS.defaulter_margin! },
    { layer: "2, 4", label: "Members' contributions (mutual fund)", chart: "Contributions", key: "resources.total_contributions", value: r.state.total_contributions, source: "fund State.total_contributions", colour: LAYER_COLOURS.mutual_fund! },
    { layer: "3", label: "Skin in the game (operator)", chart: "SITG", key: "resources.sitg", value: r.state.sitg, source: "fund State.sitg", colour: LAYER_COLOURS.sitg! },
    { layer: "5", label: "Assessment capacity left in the period", chart: "Assessments", key: "resources.assessment_capacity", value: r.coverage.assessment_capacity, source: "fund Coverage.assessment_capacity", colour: LAYER_COLOURS.assessments! },
  ];
  const { box, canvas } = canvasBox(230);
  const tbl = table(
    ["Layer", "Resource", "Amount", "From"],
    [
      ...rows.map((x) => h("tr", {}, h("td", {}, swatch(x.colour), x.layer), h("td", {}, x.label), h("td", { class: "r" }, fig(x.key, x.value)), h("td", { class: "src" }, x.source))),
      h("tr", { class: "sub" }, h("td", {}, ""), h("td", {}, "Members' required margin"), h("td", { class: "r" }, fig("resources.total_required_margin", r.vaultTotals.total_required)), h("td", { class: "src" }, "vault Totals.total_required")),
      h("tr", { class: "sub" }, h("td", {}, ""), h("td", {}, "Required contributions (B)"), h("td", { class: "r" }, fig("resources.total_required", r.state.total_required)), h("td", { class: "src" }, "fund State.total_required")),
      h("tr", { class: "sub" }, h("td", {}, ""), h("td", {}, "Held for defaulters (not loss-absorbing)"), h("td", { class: "r" }, fig("resources.held", r.state.held)), h("td", { class: "src" }, "fund State.held")),
      h("tr", { class: "sub" }, h("td", {}, ""), h("td", {}, "Fees not yet claimed"), h("td", { class: "r" }, fig("resources.fees_unclaimed", r.state.fees_unclaimed)), h("td", { class: "src" }, "fund State.fees_unclaimed")),
      h("tr", { class: "sub" }, h("td", {}, ""), h("td", {}, "Recoveries held for members"), h("td", { class: "r" }, fig("resources.recoveries_held", r.state.recoveries_held)), h("td", { class: "src" }, "fund State.recoveries_held")),
    ],
    "figures",
  );
  const el = section(
    "resources",
    "Resources by layer",
    "What stands between a member's default and an uncovered loss, in the order the waterfall uses it. Layers 1 and 2 are a defaulter's own margin and contribution; layer 4 is the survivors' contributions; layer 6 (uncovered) is what remains.",
    h("div", { class: "split" }, tbl, box),
  );
  queueMicrotask(() => resourcesChart(canvas, rows.map((x) => ({ label: `${x.layer}  ${x.chart}`, value: x.value, colour: x.colour }))));
  return el;
}

function coverage(r: Report, now: Date): HTMLElement {
  const c = r.coverage;
  const below = belowOne(c.ratio);
  const banner = below
    ? h(
        "div",
        { class: "banner bad", role: "alert", "data-warning": "coverage-below-one" },
        h("b", {}, `Coverage below 1. `),
        `Pre-funded resources of ${amount(c.prefunded)} do not cover the Cover-${c.cover} requirement of ${amount(c.requirement)}: the ratio is ${c.ratio}. With the assessment capacity left in the period the ratio is ${c.ratio_with_assessments ?? "—"}.`,
      )
    : c.ratio
      ? h("div", { class: "banner good", "data-warning": "none" }, `Coverage ${c.ratio}: pre-funded resources meet the Cover-${c.cover} requirement.`)
      : h("div", { class: "banner", "data-warning": "none" }, "No stress exposure has been posted: there is no Cover-n requirement to measure against.");
  const { box, canvas } = canvasBox(170);
  const bars = [
    { label: `Cover-${c.cover} requirement`, value: c.requirement, colour: "#52606d" },
    { label: "Pre-funded", value: c.prefunded, colour: below ? LAYER_COLOURS.uncovered! : LAYER_COLOURS.recovered! },
    { label: "Assessment capacity", value: c.assessment_capacity, colour: LAYER_COLOURS.assessments! },
  ];
  queueMicrotask(() => coverageChart(canvas, bars));
  const figures = table(
    ["Figure", "Value"],
    [
      row(`Cover-${c.cover} requirement (sum of the ${c.cover} largest stress exposures)`, fig("coverage.requirement", c.requirement)),
      row("Pre-funded resources (SITG + all balances)", fig("coverage.prefunded", c.prefunded)),
      row("Coverage ratio", c.ratio ? fig("coverage.ratio", c.ratio) : "—"),
      row("Ratio with assessment capacity", c.ratio_with_assessments ? fig("coverage.ratio_with_assessments", c.ratio_with_assessments) : "—"),
      row("Assessment capacity left in the period", fig("coverage.assessment_capacity", c.assessment_capacity)),
      row("Target T = (1 + buffer) × top exposures − SITG", fig("coverage.target", c.target)),
      row("Required contributions (B)", fig("coverage.total_required", c.total_required)),
      row("Contribution rate", fig("coverage.contribution_rate", c.contribution_rate)),
      row("Basis of requirements", words(c.basis)),
      row("Next recalibration", c.next_recalibration ? time("coverage.next_recalibration", c.next_recalibration, now) : "—"),
    ],
    "figures",
  );
  const tops = table(
    ["Largest stress exposures", "Exposure"],
    c.top_exposures.map((t, i) => h("tr", {}, h("td", {}, addr(t.member, `coverage.top.${i}.member`)), h("td", { class: "r" }, fig(`coverage.top.${i}.exposure`, t.exposure)))),
    "figures",
  );
  return section(
    "coverage",
    "Coverage against Cover-n",
    `The fund must cover the default of the ${c.cover} member(s) with the largest stress exposures (the fund's Coverage query).`,
    banner,
    h("div", { class: "split" }, figures, h("div", {}, box, c.top_exposures.length ? tops : h("p", { class: "muted" }, "No exposures posted."))),
  );
}

// ---------------------------------------------------------------------------

function activityText(a: Activity): string {
  const x = a.attrs;
  switch (a.action) {
    case "pay_assessment":
      return `paid ${amount(x.amount)}${x.refund && x.refund !== "0" ? ` (refund ${amount(x.refund)})` : ""}`;
    case "enforce_assessment":
      return `enforced: overdue ${amount(x.overdue)}, drawn from margin ${amount(x.drawn)}, unpaid ${amount(x.unpaid)}${x.status ? `, now ${words(x.status)}` : ""}`;
    case "enforce_replenishment":
      return `replenishment enforced: overdue ${amount(x.overdue)}, drawn from margin ${amount(x.drawn)}, unpaid ${amount(x.unpaid)}`;
    case "claim_recoveries":
      return `claimed recoveries ${amount(x.amount)}`;
    case "recovery":
      return `recovery of ${amount(x.amount)} recorded for default ${x.default_id}`;
    case "default":
      return `default ${x.default_id} declared by ${words(x.declared_by ?? "?")}: loss ${amount(x.loss)}`;
    default:
      return a.action;
  }
}

function blockCell(r: Report, height: number | undefined): HTMLElement {
  if (height === undefined) return h("span", { class: "muted" }, "—");
  const t = r.blockTimes.get(height);
  return h("span", {}, `block ${height}`, t ? h("span", { class: "rel" }, ` · ${utc(new Date(t))}`) : null);
}

function recoveredTable(d: DefaultReceipt, key: string): HTMLElement {
  const rec = d.recovered;
  const parts: [string, string][] = [
    ["assessments", "5 Assessments (members' shares)"],
    ["mutual_fund", "4 Mutual fund (members who bore it)"],
    ["sitg", "3 Skin in the game"],
    ["uncovered", "6 Uncovered"],
    ["defaulter", "1–2 Defaulter's own layers (held for it)"],
    ["excess", "Beyond the loss (to the defaulter)"],
  ];
  return table(
    ["Recovered, in the order credited", "Amount"],
    parts.map(([k, label]) => h("tr", {}, h("td", {}, label), h("td", { class: "r" }, fig(`${key}.recovered.${k}`, rec ? (rec as unknown as Record<string, string>)[k] : "0")))),
    "figures",
  );
}

function defaultCard(r: Report, v: DefaultView, now: Date, byAddress: Map<string, MemberResponse>): HTMLElement {
  const d = v.receipt;
  const key = `default.${d.id}`;
  const { box, canvas } = canvasBox(330);
  queueMicrotask(() => waterfallChart(canvas, d));
  const receipt = table(
    ["Receipt", "Amount"],
    [
      h("tr", {}, h("td", {}, swatch(LAYER_COLOURS.close_out_loss!), "Close-out loss"), h("td", { class: "r" }, fig(`${key}.close_out_loss`, d.close_out_loss))),
      h("tr", {}, h("td", {}, swatch(LAYER_COLOURS.unpaid_assessments!), "Unpaid assessments of earlier defaults joining"), h("td", { class: "r" }, fig(`${key}.unpaid_assessments`, d.unpaid_assessments))),
      h("tr", { class: "total" }, h("td", {}, "Loss L"), h("td", { class: "r" }, fig(`${key}.loss`, d.loss))),
      ...(Object.keys(LAYER_NAMES) as (keyof DefaultReceipt["layers"])[]).map((l) =>
        h(
          "tr",
          { class: l === "uncovered" && d.layers.uncovered !== "0" ? "badrow" : "" },
          h("td", {}, swatch(LAYER_COLOURS[l]!), LAYER_NAMES[l]!),
          h("td", { class: "r" }, fig(`${key}.layers.${l}`, d.layers[l])),
        ),
      ),
    ],
    "figures",
  );
  const terms = table(
    ["Assessment terms", ""],
    [
      row("Assessment rate (A ÷ B)", fig(`${key}.assessment_rate`, d.assessment_rate)),
      row("Base B at the default", fig(`${key}.assessment_base`, d.assessment_base)),
      row("Shares due", d.assessment_due ? time(`${key}.assessment_due`, d.assessment_due, now) : "no assessment"),
      row("Opened a cooling-off period", d.opened_cooling_off ? "yes" : "no"),
    ],
    "figures",
  );

  // Each member's share, as assessed and as it stands now.
  let assessed: HTMLElement;
  const a = v.assessed;
  if (a.status === "none") {
    assessed = h("p", { class: "muted" }, "This default assessed no member: layers 1–4 covered it.");
  } else if (a.status === "unavailable") {
    assessed = h("p", { class: "muted", "data-assessed": "unavailable" }, `Shares per member are not available: ${a.reason}. Unpaid shares still show in the member list below.`);
  } else {
    const rows = a.shares.map((s) => {
      const nowM = byAddress.get(s.member);
      const open = nowM?.obligations.find((o) => o.default_id === d.id);
      const acts = r.activity.filter(
        (x) => x.member === s.member && x.height >= (v.height ?? 0) && (x.action === "pay_assessment" || x.action === "enforce_assessment"),
      );
      return h(
        "tr",
        { "data-member": s.member },
        h("td", {}, link({ member: s.member }, short(s.member), s.member)),
        h("td", { class: "r" }, fig(`${key}.assessed.${s.member}`, s.amount)),
        h(
          "td",
          { class: "r" },
          nowM ? fig(`${key}.unpaid.${s.member}`, open?.amount ?? "0") : h("span", { class: "muted" }, "no longer a member"),
          open?.breached ? h("span", { class: "status bad" }, " breached") : null,
        ),
        h("td", { class: "r" }, nowM ? fig(`${key}.overdue.${s.member}`, nowM.assessment_overdue) : "—"),
        h("td", {}, nowM ? statusBadge(nowM) : "—"),
        h(
          "td",
          { class: "acts" },
          ...(acts.length
            ? acts.map((x) => h("div", {}, activityText(x), h("span", { class: "rel" }, ` · block ${x.height}`)))
            : [h("span", { class: "muted" }, r.activityError ? "history unavailable" : "none")]),
        ),
      );
    });
    assessed = h(
      "div",
      {},
      h(
        "p",
        { class: "intro" },
        `Each member's share as the fund's Members query gave it at block ${a.height}, the default's block; "unpaid now" and "overdue now" are the member's figures at block ${r.height}. A payment pays every share the member owes.`,
      ),
      table(["Member", "Share assessed", "Unpaid now", "Member's overdue now", "Status", "Paid or enforced (from the chain's events)"], rows, "figures assessed"),
      a.truncated ? h("p", { class: "muted" }, "Only the first 1,000 members were read.") : null,
    );
  }
  const recoveries = r.activity.filter((x) => x.action === "recovery" && x.attrs.default_id === String(d.id));
  return h(
    "article",
    { class: `default ${d.closed ? "closed" : "open"}`, id: `default-${d.id}`, "data-default": String(d.id) },
    h(
      "h3",
      {},
      `Default ${d.id}: `,
      addr(d.member, `${key}.member`),
      h("span", { class: `flag ${d.closed ? "" : "warn"}` }, d.closed ? "closed by governance" : "open"),
    ),
    h("p", { class: "meta" }, "Declared by ", h("b", {}, words(d.declared_by)), " at ", time(`${key}.declared_at`, d.declared_at, now), v.height ? ` · block ${v.height}` : ""),
    h("div", { class: "split" }, h("div", {}, receipt, terms), box),
    h("h4", {}, "Assessment per member"),
    assessed,
    h("h4", {}, "Recoveries"),
    h(
      "div",
      { class: "split" },
      recoveredTable(d, key),
      h(
        "div",
        {},
        d.recovered?.last_at ? h("p", {}, "Last recovery ", time(`${key}.recovered.last_at`, d.recovered.last_at, now)) : h("p", { class: "muted" }, "Nothing recovered yet."),
        ...recoveries.map((x) => h("p", { class: "acts" }, activityText(x), " · ", blockCell(r, x.height))),
      ),
    ),
  );
}

function defaults(r: Report, now: Date): HTMLElement {
  const byAddress = new Map(r.members.map((m) => [m.address, m]));
  const timeline = r.activity.filter((a) => a.action !== "default");
  return section(
    "defaults",
    "Default history",
    r.defaults.length
      ? "Each default's receipt as the fund stored it: the loss L is the close-out loss plus the defaulter's unpaid assessments, and the six layers absorb it in order; they sum to L."
      : "No default has been declared.",
    ...r.defaults.map((v) => defaultCard(r, v, now, byAddress)),
    r.activityError ? h("p", { class: "banner", "data-activity": "unavailable" }, r.activityError) : null,
    timeline.length
      ? h(
          "details",
          { class: "timeline" },
          h("summary", {}, `Payments, enforcements and recoveries (${timeline.length} transactions from the chain's index)`),
          table(
            ["When", "Member", "What the fund reported"],
            timeline.map((a) => h("tr", {}, h("td", {}, blockCell(r, a.height)), h("td", {}, a.member ? addr(a.member) : "—"), h("td", {}, activityText(a)))),
          ),
        )
      : null,
  );
}

// ---------------------------------------------------------------------------

function statusBadge(m: MemberResponse): HTMLElement {
  const cls = m.status === "active" ? "good" : m.status === "in_breach" || m.status === "defaulted" ? "bad" : "";
  return h("span", { class: `status ${cls}`, "data-status": m.status }, words(m.status), m.suspended ? " · suspended" : "");
}

/** A link to this page with some URL parameters changed (null removes one). */
function link(change: Record<string, string | null>, text: string, title?: string): HTMLElement {
  const u = new URL(location.href);
  for (const [k, v] of Object.entries(change)) {
    if (v === null) u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  u.hash = change.member ? "member" : "";
  return h("a", { href: u.toString(), ...(title ? { title } : {}) }, text);
}

function members(r: Report): HTMLElement {
  const rows = r.members.map((m) => {
    const v = r.vaultMembers.get(m.address);
    const k = `members.${m.address}`;
    const owes = m.assessment_owed !== "0" || m.shortfall !== "0";
    return h(
      "tr",
      { class: `${r.member?.address === m.address ? "selected" : ""} ${owes ? "owes" : ""}`, "data-member": m.address },
      h("td", {}, link({ member: m.address }, short(m.address), m.address)),
      h("td", {}, statusBadge(m)),
      h("td", { class: "r" }, v ? fig(`${k}.margin`, v.balance) : "—"),
      h("td", { class: "r" }, fig(`${k}.balance`, m.balance)),
      h("td", { class: "r" }, fig(`${k}.required_contribution`, m.required_contribution)),
      h("td", { class: "r" }, fig(`${k}.assessment_owed`, m.assessment_owed)),
      h("td", { class: "r" }, fig(`${k}.assessment_overdue`, m.assessment_overdue)),
      h("td", { class: "r" }, fig(`${k}.shortfall`, m.shortfall)),
      h("td", { class: "r" }, fig(`${k}.fees_claimable`, m.fees_claimable)),
    );
  });
  return section(
    "members",
    "Members",
    `${r.members.length} member(s) of the fund${r.membersTruncated ? " (the first ones only)" : ""}. Pick one for its obligations.`,
    table(["Member", "Status", "Margin", "Fund balance", "Required contribution", "Assessments owed", "Overdue", "Shortfall", "Fees"], rows, "figures members"),
  );
}

function memberView(r: Report, d: MemberDetail, now: Date): HTMLElement {
  if (d.error || !d.fund || !d.obligations) {
    return section("member", "Member", null, h("div", { class: "banner bad", "data-error": "unknown-member" }, d.error ?? `No figures for ${d.address}.`));
  }
  const m = d.fund;
  const o = d.obligations;
  const v = d.vault;
  const k = "member";
  const obligations = m.obligations.length
    ? table(
        ["Default", "Share owed", "Due", "Breached"],
        m.obligations.map((x, i) =>
          h(
            "tr",
            { class: x.breached ? "badrow" : "" },
            h("td", {}, h("a", { href: `#default-${x.default_id}` }, `default ${x.default_id}`)),
            h("td", { class: "r" }, fig(`${k}.obligations.${i}.amount`, x.amount)),
            h("td", {}, time(`${k}.obligations.${i}.due`, x.due, now)),
            h("td", { "data-figure": `${k}.obligations.${i}.breached` }, x.breached ? "yes" : "no"),
          ),
        ),
        "figures",
      )
    : h("p", { class: "muted", "data-figure": "member.obligations.none" }, "No unpaid assessment share.");
  const w = m.pending_withdrawal;
  const overdueAny = o.overdue !== "0" || o.replenishment_overdue !== "0";
  return section(
    "member",
    "Member",
    null,
    h("p", { class: "meta" }, addr(m.address, "member.address"), " ", statusBadge(m), m.may_vote ? "" : h("span", { class: "flag" }, "may not vote")),
    overdueAny
      ? h("div", { class: "banner bad", "data-warning": "member-overdue" }, `This member has something overdue: assessments ${amount(o.overdue)}, replenishment ${amount(o.replenishment_overdue)}. Anyone may enforce it from the member's excess margin.`)
      : null,
    h(
      "div",
      { class: "split three" },
      table(
        ["Fund", ""],
        [
          row("Balance", fig(`${k}.balance`, m.balance)),
          row("Required contribution", fig(`${k}.required_contribution`, m.required_contribution)),
          row("Shortfall", fig(`${k}.shortfall`, m.shortfall)),
          row("Shortfall due", time(`${k}.shortfall_due`, m.shortfall_due, now)),
          row("Replenishment overdue", fig(`${k}.replenishment_overdue`, o.replenishment_overdue)),
          row("Fees claimable", fig(`${k}.fees_claimable`, m.fees_claimable)),
          row("Recoveries claimable", fig(`${k}.recovered`, m.recovered)),
          row("Held for it (a defaulter's remainder)", fig(`${k}.held`, m.held)),
          row("Stress exposure", fig(`${k}.exposure`, m.exposure)),
        ],
        "figures",
      ),
      h(
        "div",
        {},
        table(
          ["Obligations", ""],
          [
            row("Assessments owed", fig(`${k}.owed`, o.owed)),
            row("Assessments overdue", fig(`${k}.overdue`, o.overdue)),
            row("Next due (share or shortfall)", time(`${k}.next_due`, o.next_due, now)),
          ],
          "figures",
        ),
        obligations,
      ),
      table(
        ["Margin, exit and withdrawal", ""],
        [
          row("Margin in the vault", v ? fig(`${k}.margin`, v.balance) : "—"),
          row("Required margin", fig(`${k}.required_margin`, m.required_margin)),
          row("Excess margin (vault)", v ? fig(`${k}.excess`, v.excess) : "—"),
          row("Vault status", v ? words(v.status) : "not in the vault"),
          row("Withdrawal requested", w ? fig(`${k}.withdrawal.amount`, w.amount) : h("span", { "data-figure": `${k}.withdrawal.amount` }, "none")),
          row("Claimable from", w ? time(`${k}.withdrawal.claimable_at`, w.claimable_at, now) : "—"),
          row("Claim window", w ? seconds(w.claim_window) : "—"),
          row("Exit notice given", time(`${k}.exit_notice_at`, m.exit_notice_at, now)),
          row("Exit possible from", time(`${k}.exit_available_at`, m.exit_available_at, now)),
        ],
        "figures",
      ),
    ),
    d.defaultOf ? h("p", {}, "This member defaulted: ", h("a", { href: `#default-${d.defaultOf.id}` }, `default ${d.defaultOf.id}`), ".") : null,
  );
}

function reference(r: Report): HTMLElement {
  const p = r.params;
  const b = r.books;
  return section(
    "reference",
    "Books and parameters",
    null,
    h(
      "div",
      { class: "split" },
      table(
        ["Books (conservation)", ""],
        [
          row("Fund holds", fig("books.holdings", b.holdings)),
          row("Claims on the fund", fig("books.claims", b.claims)),
          row("Fund's bank balance", b.bank_balance ? fig("books.bank_balance", b.bank_balance) : "— (cw20)"),
          row("Vault's total margin", fig("books.vault_total_margin", r.vaultBooks.total_margin)),
          row("Vault's bank balance", r.vaultBooks.bank_balance ? fig("books.vault_bank_balance", r.vaultBooks.bank_balance) : "— (cw20)"),
        ],
        "figures",
      ),
      table(
        ["Parameters", ""],
        [
          row("Minimum contribution", fig("params.min_contribution", p.min_contribution)),
          row("Contribution rate", fig("params.contribution_rate", p.contribution_rate)),
          row("Assessment multiple", fig("params.assessment_multiple", p.assessment_multiple)),
          row("Assessment deadline", seconds(p.assessment_deadline)),
          row("Replenishment period", seconds(p.replenishment_period)),
          row("Cooling-off period", seconds(p.cooling_off_period)),
          row("Withdrawal notice", seconds(p.withdrawal_notice_period)),
          row("Withdrawal claim window", seconds(p.withdrawal_claim_window)),
          row("Risk engine's mutualised limit", p.risk_engine_mutualised_limit ? fig("params.risk_engine_mutualised_limit", p.risk_engine_mutualised_limit) : "none"),
          row("Sizing", `${words(p.sizing.mode)}, Cover-${p.sizing.cover}, buffer ${p.sizing.buffer}`),
        ],
        "figures",
      ),
    ),
  );
}

export function render(root: HTMLElement, r: Report): void {
  const now = new Date(r.time);
  const parts: (HTMLElement | null)[] = [
    header(r),
    h(
      "nav",
      {},
      ...[
        ["#resources", "Resources"],
        ["#coverage", "Coverage"],
        ["#defaults", "Defaults"],
        ["#members", "Members"],
        ["#member", "Member"],
        ["#reference", "Books & parameters"],
      ].map(([href, text]) => h("a", { href: href! }, text!)),
    ),
    summary(r),
    resources(r),
    coverage(r, now),
    defaults(r, now),
    r.member ? memberView(r, r.member, now) : null,
    members(r),
    reference(r),
    h("footer", {}, `Read at block ${r.height} of ${r.chainId} through the fund's and the vault's queries; history from the chain's transaction index. Nothing on this page is computed from them but the chart's bar positions.`),
  ];
  root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}
