// Plain-word explanations of what can go wrong when the page reads a chain.

export type ErrorKind =
  | "rpc-unreachable"
  | "bad-address"
  | "no-contract"
  | "not-a-fund"
  | "no-fund-found"
  | "bad-deployment"
  | "wrong-chain"
  | "query-failed";

export class PageError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** One or two sentences a risk officer can act on. */
    message: string,
    /** What the node or the contract said, shown under the message. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

function text(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** What a failed connection to the RPC means. */
export function rpcUnreachable(rpc: string, e: unknown): PageError {
  return new PageError(
    "rpc-unreachable",
    `The chain's RPC at ${rpc} cannot be reached. Check the address (the rpc= parameter), that the node is running, and that it lets browsers read it (CORS).`,
    text(e),
  );
}

/** What a failed query of `address` (given as the `role` contract) means. */
export function queryFailed(role: string, address: string, e: unknown, label?: string): PageError {
  const said = text(e);
  if (/decoding bech32 failed|invalid bech32|invalid address|invalid checksum|invalid separator/i.test(said)) {
    return new PageError("bad-address", `"${address}" is not a valid address on this chain, so it cannot be the ${role}.`, said);
  }
  if (/No contract found at address|not found: contract|no such contract/i.test(said)) {
    return new PageError("no-contract", `There is no contract at ${address} on this chain. Check the ${role}'s address.`, said);
  }
  if (/unknown variant|Error parsing into type|unknown request|parse|missing field/i.test(said)) {
    return new PageError(
      "not-a-fund",
      `The contract at ${address}${label ? ` ("${label}")` : ""} is not a ${role}: it does not answer the ${role}'s queries.`,
      said,
    );
  }
  if (/fetch|network|ECONNREFUSED|timeout/i.test(said)) {
    return new PageError("rpc-unreachable", `The chain's RPC stopped answering while the page read the ${role}.`, said);
  }
  return new PageError("query-failed", `The ${role} at ${address} did not answer a query.`, said);
}
