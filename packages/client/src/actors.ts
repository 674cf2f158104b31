// The local chain's accounts (chain/localnet.json): roles and members, all
// derived from its public test mnemonic, and funding members from the faucet.
import type { Coin } from "@cosmjs/amino";
import { MsgMultiSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Chain } from "./chain";
import { KeyRing } from "./chain";
import type { Localnet } from "./config";

export interface Roles {
  validator: string;
  deployer: string;
  riskEngine: string;
  operator: string;
  lossRecipient: string;
  guardian: string;
  faucet: string;
  outsider: string;
}

export async function localnetKeys(net: Localnet): Promise<{ keys: KeyRing; roles: Roles }> {
  const keys = await KeyRing.fromMnemonic(net.mnemonic);
  const a = async (name: string) => {
    const index = net.accounts[name];
    if (index === undefined) throw new Error(`chain/localnet.json has no account ${name}`);
    return keys.address(index);
  };
  const roles: Roles = {
    validator: await a("validator"),
    deployer: await a("deployer"),
    riskEngine: await a("risk_engine"),
    operator: await a("operator"),
    lossRecipient: await a("loss_recipient"),
    guardian: await a("guardian"),
    faucet: await a("faucet"),
    outsider: await a("outsider"),
  };
  return { keys, roles };
}

/** Addresses of members `from` .. `from + count - 1` (HD indices after the roles'). */
export async function memberAddresses(net: Localnet, keys: KeyRing, from: number, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = from; i < from + count; i++) out.push(await keys.address(net.memberIndexStart + i));
  return out;
}

/** Sends each address `coins` from `from`, up to `batch` outputs per MsgMultiSend transaction. */
export async function fund(chain: Chain, from: string, to: string[], unsorted: Coin[], batch = 250): Promise<void> {
  const coins = [...unsorted].sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  for (let i = 0; i < to.length; i += batch) {
    const outputs = to.slice(i, i + batch).map((address) => ({ address, coins }));
    const total = coins.map((c) => ({ denom: c.denom, amount: (BigInt(c.amount) * BigInt(outputs.length)).toString() }));
    await chain.tx(from, [
      {
        typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
        value: MsgMultiSend.fromPartial({ inputs: [{ address: from, coins: total }], outputs }),
      },
    ]);
  }
}
