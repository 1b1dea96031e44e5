/**
 * SIP messages for transaction tests, built as plain message objects (the
 * message layer's accessors parse their headers) and responses built with the
 * message layer's `createResponse`.
 */
import { createResponse } from '../../firmware/sip/message/build.ts';
import { parseUri } from '../../firmware/sip/message/uri.ts';
import type { Header, SipRequest, SipResponse } from '../../firmware/sip/message/types.ts';
import type { Destination, IncomingMessage, Source, TransportProtocol } from '../../firmware/sip/transport/types.ts';

export interface TestRequestOptions {
  readonly method?: string;
  readonly uri?: string;
  readonly branch?: string;
  /** The whole top Via value, replacing the generated one. */
  readonly via?: string;
  readonly viaTransport?: string;
  readonly callId?: string;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly cseq?: number;
  /** CSeq method when it differs from the request method (an ACK uses the INVITE's number). */
  readonly cseqMethod?: string;
  readonly routes?: readonly string[];
}

export function testRequest(options: TestRequestOptions = {}): SipRequest {
  const method = options.method ?? 'INVITE';
  const via = options.via ?? `SIP/2.0/${options.viaTransport ?? 'UDP'} 192.0.2.1:5060;branch=${options.branch ?? 'z9hG4bK-test-1'}`;
  const headers: Header[] = [{ name: 'Via', value: via }];
  for (const route of options.routes ?? []) headers.push({ name: 'Route', value: route });
  headers.push(
    { name: 'Max-Forwards', value: '70' },
    { name: 'To', value: `<sip:bob@example.com>${options.toTag ? `;tag=${options.toTag}` : ''}` },
    { name: 'From', value: `"Alice" <sip:alice@example.com>;tag=${options.fromTag ?? 'from-1'}` },
    { name: 'Call-ID', value: options.callId ?? 'call-1@192.0.2.1' },
    { name: 'CSeq', value: `${options.cseq ?? 1} ${options.cseqMethod ?? method}` },
  );
  return { kind: 'request', version: 'SIP/2.0', method, uri: parseUri(options.uri ?? 'sip:bob@example.com'), headers, body: Buffer.alloc(0) };
}

/** A response to `request` as the far end would build it (RFC 3261 §8.2.6). */
export function testResponse(request: SipRequest, status: number, toTag = 'to-1'): SipResponse {
  return createResponse(request, status, undefined, { toTag });
}

export function testDestination(protocol: TransportProtocol = 'udp'): Destination {
  return { protocol, address: '192.0.2.2', port: 5060 };
}

export function testSource(protocol: TransportProtocol = 'udp', overrides: Partial<Source> = {}): Source {
  return {
    protocol,
    address: '192.0.2.1',
    port: 5060,
    localAddress: '192.0.2.2',
    localPort: 5060,
    ...(protocol === 'udp' ? {} : { connectionId: 'conn-1' }),
    ...overrides,
  };
}

export function incoming(message: SipRequest | SipResponse, source: Source = testSource()): IncomingMessage {
  return { message, source, raw: Buffer.alloc(0) };
}
