// Chain governance (x/gov v1): proposals whose messages the gov module
// account executes — MsgSudoContract, MsgStoreCode, MsgMigrateContract.
import { toBech32, toUtf8 } from "@cosmjs/encoding";
import { sha256 } from "@cosmjs/crypto";
import { createProtobufRpcClient, QueryClient } from "@cosmjs/stargate";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { QueryClientImpl as GovQuery } from "cosmjs-types/cosmos/gov/v1/query";
import { MsgSubmitProposal, MsgVote } from "cosmjs-types/cosmos/gov/v1/tx";
import { MsgMigrateContract, MsgStoreCode, MsgSudoContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { gzipSync } from "node:zlib";
import type { Chain } from "./chain";
import { PREFIX, sleep } from "./chain";

/** The address of a module account: the first 20 bytes of sha256(name). */
export function moduleAddress(name: string, prefix = PREFIX): string {
  return toBech32(prefix, sha256(toUtf8(name)).slice(0, 20));
}

/** x/gov's module account: the authority of wasm's governance-only messages. */
export const GOV_MODULE = moduleAddress("gov");

export function sudoContract(contract: string, msg: object, authority = GOV_MODULE): Any {
  return Any.fromPartial({
    typeUrl: "/cosmwasm.wasm.v1.MsgSudoContract",
    value: MsgSudoContract.encode(
      MsgSudoContract.fromPartial({ authority, contract, msg: toUtf8(JSON.stringify(msg)) }),
    ).finish(),
  });
}

export function storeCode(wasm: Uint8Array, authority = GOV_MODULE): Any {
  return Any.fromPartial({
    typeUrl: "/cosmwasm.wasm.v1.MsgStoreCode",
    value: MsgStoreCode.encode(MsgStoreCode.fromPartial({ sender: authority, wasmByteCode: gzipSync(wasm) })).finish(),
  });
}

export function migrateContract(contract: string, codeId: number, msg: object, authority = GOV_MODULE): Any {
  return Any.fromPartial({
    typeUrl: "/cosmwasm.wasm.v1.MsgMigrateContract",
    value: MsgMigrateContract.encode(
      MsgMigrateContract.fromPartial({
        sender: authority,
        contract,
        codeId: BigInt(codeId),
        msg: toUtf8(JSON.stringify(msg)),
      }),
    ).finish(),
  });
}

export interface GovProposalResult {
  id: number;
  status: "passed";
  /** Events of the block in which the proposal's messages ran are not in a tx; callers query state instead. */
  submitTx: string;
}

function govQuery(chain: Chain): GovQuery {
  return new GovQuery(createProtobufRpcClient(new QueryClient(chain.comet)));
}

/**
 * Submits a proposal with `messages`, votes yes with `voter` (on the local
 * chain the only validator, so the tally passes), and waits until x/gov has
 * run the messages: resolves when the proposal passed, throws with
 * the chain's failed_reason if they failed.
 */
export async function passGovProposal(
  chain: Chain,
  opts: {
    proposer: string;
    voter: string;
    messages: Any[];
    title: string;
    summary?: string;
    expedited?: boolean;
    deposit: { denom: string; amount: string };
  },
): Promise<GovProposalResult> {
  const submit = await chain.tx(opts.proposer, [
    {
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
      value: MsgSubmitProposal.fromPartial({
        messages: opts.messages,
        initialDeposit: [opts.deposit],
        proposer: opts.proposer,
        metadata: "",
        title: opts.title,
        summary: opts.summary ?? opts.title,
        expedited: opts.expedited ?? false,
      }),
    },
  ]);
  const idAttr = submit.events
    .filter((e) => e.type === "submit_proposal")
    .flatMap((e) => e.attributes)
    .find((a) => a.key === "proposal_id");
  if (!idAttr) throw new Error(`no proposal_id in the events of ${submit.transactionHash}`);
  const id = Number(idAttr.value);
  await chain.tx(opts.voter, [
    {
      typeUrl: "/cosmos.gov.v1.MsgVote",
      value: MsgVote.fromPartial({
        proposalId: BigInt(id),
        voter: opts.voter,
        option: VoteOption.VOTE_OPTION_YES,
        metadata: "",
      }),
    },
  ]);
  await waitForGovProposal(chain, id);
  return { id, status: "passed", submitTx: submit.transactionHash };
}

export async function waitForGovProposal(chain: Chain, id: number, timeoutMs = 120_000): Promise<void> {
  const q = govQuery(chain);
  const start = Date.now();
  for (;;) {
    const { proposal } = await q.Proposal({ proposalId: BigInt(id) });
    const status = proposal?.status;
    if (status === ProposalStatus.PROPOSAL_STATUS_PASSED) return;
    if (status === ProposalStatus.PROPOSAL_STATUS_FAILED || status === ProposalStatus.PROPOSAL_STATUS_REJECTED) {
      throw new Error(
        `x/gov proposal ${id} ${status === ProposalStatus.PROPOSAL_STATUS_FAILED ? "failed" : "was rejected"}: ${proposal?.failedReason ?? ""}`,
      );
    }
    if (Date.now() - start > timeoutMs) throw new Error(`x/gov proposal ${id} still in status ${status} after ${timeoutMs} ms`);
    await sleep(300);
  }
}
