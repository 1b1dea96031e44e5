/**
 * Reading and rewriting the topmost Via value in place: the transport layer
 * stamps `received`/`rport` on requests it receives (RFC 3261 §18.2.1,
 * RFC 3581 §4) and changes the transport token when it moves a request from
 * UDP to TCP (RFC 3261 §18.1.1).
 */
import { splitCommaList } from '../message/headers.ts';
import { formatVia, topVia } from '../message/header-values.ts';
import type { Header, SipMessage, Via } from '../message/types.ts';

export { topVia };

/** Replaces the first value of the first Via field; other values and fields stay as they were. */
export function replaceTopVia(message: SipMessage, via: Via): void {
  const index = message.headers.findIndex((h) => isVia(h));
  if (index < 0) throw new Error('message has no Via');
  const field = message.headers[index] as Header;
  const values = splitCommaList(field.value);
  values[0] = formatVia(via);
  // A new Header object: parsed-Via caches are keyed by the field object.
  message.headers[index] = { name: field.name, value: values.join(', ') };
}

function isVia(header: Header): boolean {
  const name = header.name.toLowerCase();
  return name === 'via' || name === 'v';
}

/** A Via host without the brackets of an IPv6 reference (`[::1]` → `::1`). */
export function viaHostAddress(via: Via): string {
  return via.host.startsWith('[') && via.host.endsWith(']') ? via.host.slice(1, -1) : via.host;
}
