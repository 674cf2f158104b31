// The loss reporting page (SPEC §10): reads a deployment named in the URL
// and shows it. URL parameters:
//   rpc=        the chain's RPC (default http://127.0.0.1:36657, the local chain)
//   fund=       the default fund's address (the vault comes from its config)
//   vault=      the margin vault's address, if not the fund's own
//   deployment= URL of a deployment file of scripts/deploy.sh (instead of fund=)
//   member=     the member shown in the member view
//   height=     read this block instead of the latest
// With neither fund= nor deployment=, the page looks for default funds on the
// chain (by their label) and shows the newest.
import { PageError } from "./errors";
import { DEFAULT_RPC, load, type Request } from "./load";
import { h, render } from "./render";

function request(): Request {
  const q = new URLSearchParams(location.search);
  const get = (k: string) => q.get(k)?.trim() || undefined;
  const height = get("height");
  return {
    rpc: get("rpc") ?? DEFAULT_RPC,
    fund: get("fund"),
    vault: get("vault"),
    deployment: get("deployment"),
    member: get("member"),
    height: height && /^\d+$/.test(height) ? Number(height) : undefined,
  };
}

function setState(state: "loading" | "ready" | "error", kind?: string): void {
  document.body.dataset.state = state;
  if (kind) document.body.dataset.error = kind;
  else delete document.body.dataset.error;
}

async function main(): Promise<void> {
  const status = document.getElementById("status")!;
  const root = document.getElementById("report")!;
  const req = request();
  setState("loading");
  const progress = (what: string) => status.replaceChildren(h("div", { class: "banner loading", role: "status" }, h("span", { class: "spinner" }), what));
  try {
    const report = await load(req, progress);
    render(root, report);
    status.replaceChildren();
    document.title = `Loss report · ${report.chainId} · block ${report.height}`;
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
    setState("ready");
  } catch (e) {
    const err = e instanceof PageError ? e : new PageError("query-failed", "The page could not read the fund.", e instanceof Error ? e.message : String(e));
    status.replaceChildren(
      h(
        "div",
        { class: "banner bad", role: "alert" },
        h("h2", {}, "Default fund — loss report: the report could not be shown"),
        h("p", { class: "error-message" }, err.message),
        err.detail ? h("p", { class: "detail" }, "The node said: ", h("code", {}, err.detail)) : null,
        h("p", { class: "muted" }, `RPC: ${req.rpc}${req.fund ? ` · fund: ${req.fund}` : ""}${req.deployment ? ` · deployment: ${req.deployment}` : ""}. Change them with the rpc= and fund= parameters of this page's address.`),
      ),
    );
    root.replaceChildren();
    setState("error", err.kind);
  }
}

void main();
