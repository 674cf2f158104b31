// A read-only CosmWasm client whose smart queries all read one block's state,
// so that figures from several queries (and several contracts) belong
// together. The loss reporting page reads through it, and so does its
// browser test, to compare the page with the contracts at the same block.
// Works in node and in a browser (no node modules).
import { CosmWasmClient, type JsonObject } from "@cosmjs/cosmwasm-stargate";
import { fromUtf8, toUtf8 } from "@cosmjs/encoding";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import { QuerySmartContractStateRequest, QuerySmartContractStateResponse } from "cosmjs-types/cosmwasm/wasm/v1/query";

const SMART_QUERY = "/cosmwasm.wasm.v1.Query/SmartContractState";

export class SnapshotClient extends CosmWasmClient {
  private constructor(
    private readonly comet: CometClient,
    /** The block whose state every smart query reads. */
    readonly height: number,
  ) {
    super(comet);
  }

  /**
   * Connects to `rpc`; queries read block `height`, or the latest block the
   * application has committed. (Not the node's `status`: its latest block is
   * stored before the application commits that block's state, and a query
   * at it may be refused as "height in the future".)
   */
  static async open(rpc: string, height?: number): Promise<SnapshotClient> {
    const comet = await connectComet(rpc);
    const at = height ?? (await comet.abciInfo()).lastBlockHeight ?? (await comet.status()).syncInfo.latestBlockHeight - 1;
    return new SnapshotClient(comet, at);
  }

  /** The same connection, reading another block. */
  at(height: number): SnapshotClient {
    return new SnapshotClient(this.comet, height);
  }

  override async queryContractSmart(address: string, queryMsg: JsonObject): Promise<JsonObject> {
    const request = QuerySmartContractStateRequest.encode({
      address,
      queryData: toUtf8(JSON.stringify(queryMsg)),
    }).finish();
    let value: Uint8Array;
    try {
      ({ value } = await this.forceGetQueryClient().queryAbci(SMART_QUERY, request, this.height));
    } catch (e) {
      if (e instanceof Error && /not found: contract|no such contract/i.test(e.message)) {
        throw new Error(`No contract found at address "${address}"`);
      }
      throw e;
    }
    return JSON.parse(fromUtf8(QuerySmartContractStateResponse.decode(value).data)) as JsonObject;
  }
}
