// The hand-written layer's pure parts, without a chain (npm run unit).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyRing } from "../src/chain";
import { localnet } from "../src/config";
import { defaultReceiptFromEvents } from "../src/events";
import { GOV_MODULE, moduleAddress } from "../src/gov";
import { ceilTimes, wasmExecute } from "../src/suite";
import { amount, belowOne, plain, when } from "../page/src/format";

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

describe("loss reporting page: how figures are written", () => {
  it("writes amounts exactly, with thousands separators, up to 10^30 and beyond", () => {
    assert.equal(amount("0"), "0");
    assert.equal(amount("999"), "999");
    assert.equal(amount("1000"), "1,000");
    assert.equal(amount("19991935"), "19,991,935");
    assert.equal(amount("1000000000000000000000000000001"), "1,000,000,000,000,000,000,000,000,000,001");
    assert.equal(amount("340282366920938463463374607431768211455"), "340,282,366,920,938,463,463,374,607,431,768,211,455");
    assert.equal(plain(amount("340282366920938463463374607431768211455")), "340282366920938463463374607431768211455");
  });

  it("keeps every digit of a decimal, and leaves anything else as it is", () => {
    assert.equal(amount("1234567.166666666666666667"), "1,234,567.166666666666666667");
    assert.equal(amount("0.1"), "0.1");
    assert.equal(amount(null), "—");
    assert.equal(amount("n/a"), "n/a");
  });

  it("writes contract timestamps (nanoseconds) in UTC", () => {
    assert.equal(when("1796024091372971276"), "2026-11-30 07:34:51 UTC");
    assert.equal(when(null), "—");
  });

  it("warns below a ratio of 1, not at 1", () => {
    assert.equal(belowOne("0.8"), true);
    assert.equal(belowOne("0"), true);
    assert.equal(belowOne("0.999999999999999999"), true);
    assert.equal(belowOne("1"), false);
    assert.equal(belowOne("1.5"), false);
    assert.equal(belowOne("10"), false);
    assert.equal(belowOne(null), false);
  });
});
