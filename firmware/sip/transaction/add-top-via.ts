/**
 * RFC 3261 §8.1.1.7: the Via a UAC puts on top of each new request, with a
 * fresh branch (magic cookie + random bits) and, by default, the RFC 3581
 * `rport` parameter. The TU calls this before `TransactionLayer.sendRequest`.
 */
import { formatVia } from '../message/header-values.ts';
import { newBranch } from '../message/build.ts';
import { prependHeader } from '../message/headers.ts';
import type { Params, SipRequest } from '../message/types.ts';
import type { TransportProtocol } from '../transport/types.ts';

export interface TopViaOptions {
  readonly transport: TransportProtocol;
  /** Our sent-by host (IPv6 with or without brackets). */
  readonly host: string;
  readonly port?: number;
  /** RFC 3581 §3: ask for the response on the source port. Default true. */
  readonly rport?: boolean;
  /** A branch to use instead of a new one (a CANCEL reuses its INVITE's, RFC 3261 §9.1). */
  readonly branch?: string;
}

/** Adds the top Via and returns its branch. */
export function addTopVia(request: SipRequest, options: TopViaOptions): string {
  const branch = options.branch ?? newBranch();
  const params: Params = new Map();
  if (options.rport ?? true) params.set('rport', null);
  params.set('branch', branch);
  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const value = formatVia({
    protocol: 'SIP/2.0',
    transport: options.transport.toUpperCase(),
    host: host.toLowerCase(),
    port: options.port ?? null,
    params,
  });
  prependHeader(request, 'Via', value);
  return branch;
}
