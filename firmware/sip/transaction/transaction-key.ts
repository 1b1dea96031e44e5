/**
 * The keys the transaction layer files transactions under: RFC 3261 §17.1.3
 * (responses to client transactions) and §17.2.3 (requests to server
 * transactions, with the RFC 2543 fallback), plus the §8.2.2.2 merged-request
 * key. Every function throws `SipSyntaxError` when a header it needs is
 * missing or malformed.
 */
import { callId, cseq, formatVia, fromTag, topVia } from '../message/header-values.ts';
import { formatUri } from '../message/uri.ts';
import { MAGIC_COOKIE, type SipMessage, type SipRequest } from '../message/types.ts';

/** The top Via branch, or undefined when there is none. */
export function topBranch(message: SipMessage): string | undefined {
  return topVia(message).params.get('branch') ?? undefined;
}

/** True when the branch carries the RFC 3261 magic cookie (§8.1.1.7). */
export function isRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.startsWith(MAGIC_COOKIE);
}

/**
 * RFC 3261 §17.1.3: a response matches a client transaction if it has the
 * same branch in its top Via as the request that created the transaction,
 * and the method in its CSeq matches that request's method.
 */
export function clientKeyOfResponse(message: SipMessage): string | undefined {
  const branch = topBranch(message);
  return branch === undefined ? undefined : `${branch}|${cseq(message).method}`;
}

/** The key a client transaction is filed under when its request is sent. */
export function clientKeyOfRequest(request: SipRequest): string | undefined {
  const branch = topBranch(request);
  return branch === undefined ? undefined : `${branch}|${request.method}`;
}

/** RFC 3261 §17.2.3: "the method of the request matches the one that created the transaction, except for ACK, where the method of the request that created the transaction is INVITE." */
function transactionMethod(method: string): string {
  return method === 'ACK' ? 'INVITE' : method;
}

export interface ServerKeyOptions {
  /** Match as if the request had this method (a CANCEL looking for its INVITE). */
  readonly asMethod?: string;
}

/**
 * RFC 3261 §17.2.3. With a magic-cookie branch: branch + sent-by + method
 * (ACK counting as INVITE). Without one (RFC 2543 peers): Request-URI, From
 * tag, Call-ID, CSeq number and method, and the top Via; the To tag, which
 * RFC 2543 matching also compares, is checked by the caller because for an
 * ACK it is compared with the response's To tag rather than the request's.
 */
export function serverKey(request: SipRequest, options: ServerKeyOptions = {}): string {
  const method = transactionMethod(options.asMethod ?? request.method);
  const via = topVia(request);
  const branch = via.params.get('branch') ?? undefined;
  if (isRfc3261Branch(branch)) {
    return `3261|${branch}|${via.host}:${via.port ?? ''}|${method}`;
  }
  const sequence = cseq(request).seq;
  return `2543|${formatUri(request.uri)}|${fromTag(request) ?? ''}|${callId(request)}|${sequence}|${method}|${formatVia(via)}`;
}

/**
 * RFC 3261 §8.2.2.2: the From tag, Call-ID and CSeq of a request; two
 * requests with the same key and no To tag that do not match the same
 * transaction are a merged request (the same request arriving twice by
 * different paths).
 */
export function mergedRequestKey(request: SipRequest): string {
  const sequence = cseq(request);
  return `${fromTag(request) ?? ''}|${callId(request)}|${sequence.seq}|${sequence.method}`;
}
