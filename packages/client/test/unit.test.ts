// The hand-written layer's pure parts, without a chain (npm run unit).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyRing } from "../src/chain";
import { localnet } from "../src/config";
import { defaultReceiptFromEvents } from "../src/events";
import { GOV_MODULE, moduleAddress } from "../src/gov";
import { ceilTimes, wasmExecute } from "../src/suite";

describe("client helpers", () => {
  it("derives the gov module account wasmd uses", () => {
    assert.equal(GOV_MODULE, "wasm10d07y265gmmuvt4z0w9aw880jnsr700js7zslc");
    assert.notEqual(moduleAddress("distribution"), GOV_MODULE);
  });

  it("derives the local chain's accounts from its public test mnemonic", async () => {
    const net = localnet();
    const keys = await KeyRing.fromMnemonic(net.mnemonic);
    // The deployer's address is the one localnet.sh puts in the wasm code-upload allow-list.
    assert.equal(await keys.address(net.accounts.deployer!), "wasm1hhg2rlu9jscacku2wwckws7932qqqu8xm5ca8y");
    assert.equal((await keys.getAccounts()).length, 1);
  });

  it("rounds a threshold up: 51 % of 19 voters is 10", () => {
    assert.equal(ceilTimes(19n, "0.51"), 10n);
    assert.equal(ceilTimes(3n, "0.51"), 2n);
    assert.equal(ceilTimes(100n, "0.5"), 50n);
    assert.equal(ceilTimes(7n, "1"), 7n);
  });

  it("builds a proposal's wasm message with a base64 body", () => {
    const msg = wasmExecute("wasm1contract", { add_member: { member: "m", required_margin: "5" } });
    assert.ok("wasm" in msg);
    const body = JSON.parse(Buffer.from((msg as { wasm: { execute: { msg: string } } }).wasm.execute.msg, "base64").toString());
    assert.deepEqual(body, { add_member: { member: "m", required_margin: "5" } });
  });

  it("reads a default's receipt from the fund's wasm-default event only", () => {
    const fund = "wasm1fund";
    const attrs = {
      _contract_address: fund,
      default_id: "3",
      member: "wasm1d",
      declared_by: "risk_engine",
      loss: "100",
      close_out_loss: "90",
      unpaid_assessments: "10",
      defaulter_margin: "40",
      defaulter_contribution: "10",
      sitg: "5",
      mutual_fund: "25",
      assessments: "20",
      uncovered: "0",
      assessment_base: "1000",
      assessment_rate: "0.02",
      assessment_due: "1796000000",
      opened_cooling_off: "true",
    };
    const event = (type: string, a: Record<string, string>) => ({
      type,
      attributes: Object.entries(a).map(([key, value]) => ({ key, value })),
    });
    const r = defaultReceiptFromEvents([event("wasm", { _contract_address: fund, action: "declare_default" }), event("wasm-default", attrs)], fund);
    assert.equal(r.defaultId, 3);
    assert.equal(r.loss, 100n);
    assert.equal(r.layers.mutual_fund, 25n);
    assert.equal(r.assessmentDue, 1796000000);
    assert.equal(r.openedCoolingOff, true);
    assert.throws(() => defaultReceiptFromEvents([event("wasm-default", { ...attrs, _contract_address: "wasm1other" })], fund));
  });
});
