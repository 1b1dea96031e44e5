/**
 * RFC 3261 §17.1.1.3: the ACK an INVITE client transaction builds itself for
 * a 300-699 final response.
 */
import { getHeader, getHeaderValues } from '../message/headers.ts';
import { cseq } from '../message/header-values.ts';
import type { Header, SipRequest, SipResponse } from '../message/types.ts';

/**
 * RFC 3261 §17.1.1.3: The ACK request constructed by the client transaction
 * MUST contain values for the Call-ID, From, and Request-URI that are equal
 * to the values of those header fields in the request passed to the
 * transport by the client transaction (call this the "original request").
 * The To header field in the ACK MUST equal the To header field in the
 * response being acknowledged, and therefore will usually differ from the To
 * header field in the original request by the addition of the tag parameter.
 * The ACK MUST contain a single Via header field, and this MUST be equal to
 * the top Via header field of the original request.  The CSeq header field
 * in the ACK MUST contain the same value for the sequence number as was
 * present in the original request, but the method parameter MUST be equal to
 * "ACK".  If the INVITE request whose response is being acknowledged had
 * Route header fields, those header fields MUST appear in the ACK.
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const topVia = getHeaderValues(invite, 'Via')[0];
  if (topVia === undefined) throw new TypeError('the INVITE has no Via');
  const headers: Header[] = [{ name: 'Via', value: topVia }];
  for (const route of getHeaderValues(invite, 'Route')) headers.push({ name: 'Route', value: route });
  // RFC 3261 §8.1.1: every request carries Max-Forwards; the ACK takes the INVITE's.
  headers.push({ name: 'Max-Forwards', value: getHeader(invite, 'Max-Forwards') ?? '70' });
  copy(invite, 'From', headers);
  copy(response, 'To', headers);
  copy(invite, 'Call-ID', headers);
  headers.push({ name: 'CSeq', value: `${cseq(invite).seq} ACK` });
  return { kind: 'request', version: 'SIP/2.0', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}

function copy(from: SipRequest | SipResponse, name: string, into: Header[]): void {
  const value = getHeader(from, name);
  if (value === undefined) throw new TypeError(`cannot build the ACK: no ${name} header`);
  into.push({ name, value });
}
