// A connection to a CosmWasm chain: keys, a signing client that records
// every transaction it sends, bank balances, chain time, and the chain-id
// check every command makes before it signs anything.
import { SigningCosmWasmClient, type SigningCosmWasmClientOptions } from "@cosmjs/cosmwasm-stargate";
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve } from "@cosmjs/crypto";
import {
  DirectSecp256k1Wallet,
  makeCosmoshubPath,
  type AccountData,
  type DirectSignResponse,
  type EncodeObject,
  type OfflineDirectSigner,
} from "@cosmjs/proto-signing";
import { GasPrice, type DeliverTxResponse, type StdFee } from "@cosmjs/stargate";
import { Comet38Client, type CometClient } from "@cosmjs/tendermint-rpc";
import type { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { DEFAULT_GAS_PRICE, GAS_MULTIPLIER } from "./config";

export const PREFIX = "wasm";

/** Private keys derived from one mnemonic by HD account index (m/44'/118'/0'/0/i). */
export class KeyRing implements OfflineDirectSigner {
  private readonly wallets = new Map<string, DirectSecp256k1Wallet>();
  private readonly accounts: AccountData[] = [];
  private readonly byIndex = new Map<number, string>();

  private constructor(private readonly seed: Uint8Array, private readonly prefix: string) {}

  static async fromMnemonic(mnemonic: string, prefix = PREFIX): Promise<KeyRing> {
    const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic));
    return new KeyRing(seed, prefix);
  }

  /** The address of HD account `index`, deriving its key once. */
  async address(index: number): Promise<string> {
    const known = this.byIndex.get(index);
    if (known) return known;
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, this.seed, makeCosmoshubPath(index));
    const wallet = await DirectSecp256k1Wallet.fromKey(privkey, this.prefix);
    const [account] = await wallet.getAccounts();
    if (!account) throw new Error(`no account for HD index ${index}`);
    this.wallets.set(account.address, wallet);
    this.accounts.push(account);
    this.byIndex.set(index, account.address);
    return account.address;
  }

  async getAccounts(): Promise<readonly AccountData[]> {
    return this.accounts;
  }

  async signDirect(signerAddress: string, signDoc: SignDoc): Promise<DirectSignResponse> {
    const wallet = this.wallets.get(signerAddress);
    if (!wallet) throw new Error(`no key for ${signerAddress}`);
    return wallet.signDirect(signerAddress, signDoc);
  }
}

/** One transaction as the chain recorded it. */
export interface TxRecord {
  step: string;
  hash: string;
  height: number;
  gasUsed: number;
  gasWanted: number;
  signer: string;
  msgs: string[];
  code: number;
}

/** Short names of a transaction's messages: `execute:deposit`, `/cosmos.bank.v1beta1.MsgSend`, ... */
export function describeMsgs(msgs: readonly EncodeObject[]): string[] {
  return msgs.map((m) => {
    if (m.typeUrl === "/cosmwasm.wasm.v1.MsgExecuteContract") {
      const v = m.value as { msg: Uint8Array };
      try {
        const body = JSON.parse(new TextDecoder().decode(v.msg)) as Record<string, unknown>;
        return `execute:${Object.keys(body)[0] ?? "?"}`;
      } catch {
        return "execute:?";
      }
    }
    return m.typeUrl;
  });
}

/** A signing client that hands every broadcast result to `onTx`. */
export class RecordingClient extends SigningCosmWasmClient {
  onTx: ((signer: string, msgs: readonly EncodeObject[], res: DeliverTxResponse) => void) | undefined;

  static connectRecording(comet: CometClient, signer: OfflineDirectSigner, options: SigningCosmWasmClientOptions) {
    return new RecordingClient(comet, signer, options);
  }

  override async signAndBroadcast(
    signerAddress: string,
    messages: readonly EncodeObject[],
    fee: StdFee | "auto" | number,
    memo?: string,
    timeoutHeight?: bigint,
  ): Promise<DeliverTxResponse> {
    const res = await super.signAndBroadcast(signerAddress, messages, fee, memo, timeoutHeight);
    this.onTx?.(signerAddress, messages, res);
    return res;
  }
}

export class ChainIdMismatch extends Error {
  constructor(expected: string, actual: string, rpc: string) {
    super(`refusing to run: the node at ${rpc} reports chain id "${actual}", not "${expected}" as given`);
  }
}

export interface ConnectOptions {
  rpc: string;
  /** The chain id the caller means; the node's must match. */
  chainId: string;
  keys: KeyRing;
  gasPrice?: string;
}

/** A connected chain: the signing client, the Comet client and small helpers. */
export class Chain {
  readonly txs: TxRecord[] = [];
  /** Label given to the transactions sent from now on (the story's step). */
  step = "";

  private constructor(
    readonly rpc: string,
    readonly chainId: string,
    readonly comet: CometClient,
    readonly client: RecordingClient,
    readonly keys: KeyRing,
  ) {
    client.onTx = (signer, msgs, res) => {
      this.txs.push({
        step: this.step,
        hash: res.transactionHash,
        height: res.height,
        gasUsed: Number(res.gasUsed),
        gasWanted: Number(res.gasWanted),
        signer,
        msgs: describeMsgs(msgs),
        code: res.code,
      });
    };
  }

  static async connect(opts: ConnectOptions): Promise<Chain> {
    const comet = await Comet38Client.connect(opts.rpc);
    const status = await comet.status();
    if (status.nodeInfo.network !== opts.chainId) {
      comet.disconnect();
      throw new ChainIdMismatch(opts.chainId, status.nodeInfo.network, opts.rpc);
    }
    const client = RecordingClient.connectRecording(comet, opts.keys, {
      gasPrice: GasPrice.fromString(opts.gasPrice ?? DEFAULT_GAS_PRICE),
      broadcastPollIntervalMs: 150,
      broadcastTimeoutMs: 60_000,
    });
    return new Chain(opts.rpc, opts.chainId, comet, client, opts.keys);
  }

  disconnect(): void {
    this.client.disconnect();
  }

  /** Sends `msgs` signed by `signer`; throws with the chain's log if the tx fails. */
  async tx(signer: string, msgs: readonly EncodeObject[], memo = ""): Promise<DeliverTxResponse> {
    const res = await this.client.signAndBroadcast(signer, msgs, GAS_MULTIPLIER, memo);
    if (res.code !== 0) {
      throw new Error(`tx ${res.transactionHash} failed (code ${res.code}): ${res.rawLog ?? ""}`);
    }
    return res;
  }

  async balance(address: string, denom: string): Promise<bigint> {
    return BigInt((await this.client.getBalance(address, denom)).amount);
  }

  /** The latest block's time in unix seconds (what contracts see as `env.block.time`). */
  async chainTime(): Promise<number> {
    const status = await this.comet.status();
    return Math.floor(status.syncInfo.latestBlockTime.getTime() / 1000);
  }

  async height(): Promise<number> {
    return (await this.comet.status()).syncInfo.latestBlockHeight;
  }

  /** Waits until a block with time > `unixSeconds` is committed: the next tx sees a later time. */
  async waitForChainTime(unixSeconds: number, timeoutMs = 120_000): Promise<void> {
    const start = Date.now();
    while ((await this.chainTime()) <= unixSeconds) {
      if (Date.now() - start > timeoutMs) throw new Error(`chain time did not pass ${unixSeconds}`);
      await sleep(200);
    }
  }

  async waitForHeight(height: number, timeoutMs = 60_000): Promise<void> {
    const start = Date.now();
    while ((await this.height()) < height) {
      if (Date.now() - start > timeoutMs) throw new Error(`chain did not reach height ${height}`);
      await sleep(150);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
